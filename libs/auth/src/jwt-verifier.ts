import { createRemoteJWKSet, errors, jwtVerify, type JWTVerifyGetKey } from 'jose';
import type { JwtSettings } from '#libs/config';
import { AuthenticationError } from './authentication-error.js';
import { tokenDigest } from './static-token-set.js';

/** The claims Access Ledger uses (S3, S5). */
export interface UserClaims {
  /** `iss`, already checked against the configured issuer: with `sub`, the member's identity (S5). */
  issuer: string;
  subject: string;
  email: string;
  groups: string[];
  /** `email_verified` when the provider states it; absent when it says nothing (S5). */
  emailVerified?: boolean;
}

/**
 * How long a verified token is taken as verified without checking its signature again (its
 * `exp` is checked on every request all the same). A token signed with a key the identity
 * provider withdraws is refused within this minute, where jose's own JWKS cache may keep a
 * withdrawn key for up to 10 minutes anyway.
 */
export const VERIFIED_TOKEN_TTL_MS = 60_000;

/** Verified tokens remembered at most: the oldest is forgotten first. */
const VERIFIED_TOKENS_KEPT = 10_000;

interface Verified {
  claims: UserClaims;
  /** The token's `exp`, in seconds since the epoch. */
  expiresAt: number;
  /** When the signature is checked again, in ms since the epoch. */
  recheckAt: number;
}

/**
 * Verifies a JWT's signature, issuer, audience and expiry (S3): HS256 with a shared secret in
 * development, keys from a JWKS URL in production. A token without `exp` is refused: jose
 * checks `exp` only when present, and a token that never expires cannot be withdrawn.
 *
 * A client sends the same token with every request until it expires, and checking its
 * signature (an HMAC or RSA verification, with a key import for HS256) was a read's largest
 * single cost after serialisation. So a token that passed is remembered, by its SHA-256 digest
 * (as StaticTokenSet keeps support tokens: no token is kept in memory), for up to
 * VERIFIED_TOKEN_TTL_MS; a remembered token is still refused the moment its `exp` passes, as
 * jose would refuse it (`exp` <= now, in whole seconds), and everything a verification judges
 * besides the clock — signature, issuer, audience, algorithm, claims — is fixed by the token's
 * bytes. Failures are not remembered.
 */
export class JwtVerifier {
  private readonly key: Uint8Array | JWTVerifyGetKey;
  private readonly algorithms: string[];
  private readonly verified = new Map<string, Verified>();

  constructor(private readonly settings: JwtSettings) {
    if (settings.jwksUrl) {
      this.key = createRemoteJWKSet(new URL(settings.jwksUrl));
      this.algorithms = ['RS256', 'ES256', 'PS256', 'EdDSA'];
    } else if (settings.secret) {
      this.key = new TextEncoder().encode(settings.secret);
      this.algorithms = ['HS256'];
    } else {
      throw new Error('JWT verification needs JWT_JWKS_URL or JWT_SECRET.');
    }
  }

  /** `digest`: the token's tokenDigest, when the caller has it already. */
  async verify(token: string, digest = tokenDigest(token)): Promise<UserClaims> {
    const cacheKey = digest.toString('base64');
    const remembered = this.verified.get(cacheKey);
    const now = Date.now();
    if (remembered) {
      if (remembered.recheckAt > now && remembered.expiresAt > Math.floor(now / 1000)) {
        return copyClaims(remembered.claims);
      }
      this.verified.delete(cacheKey);
    }
    const { claims, expiresAt } = await this.check(token);
    if (this.verified.size >= VERIFIED_TOKENS_KEPT) {
      this.verified.delete(this.verified.keys().next().value!);
    }
    this.verified.set(cacheKey, { claims, expiresAt, recheckAt: now + VERIFIED_TOKEN_TTL_MS });
    return copyClaims(claims);
  }

  private async check(token: string): Promise<{ claims: UserClaims; expiresAt: number }> {
    try {
      const options = {
        issuer: this.settings.issuer,
        audience: this.settings.audience,
        algorithms: this.algorithms,
        requiredClaims: ['exp'],
      };
      // jose types the two key kinds through separate overloads.
      const { payload } =
        this.key instanceof Uint8Array
          ? await jwtVerify(token, this.key, options)
          : await jwtVerify(token, this.key, options);
      const { iss, sub, email, groups } = payload as {
        iss?: unknown;
        sub?: unknown;
        email?: unknown;
        groups?: unknown;
      };
      if (typeof sub !== 'string' || sub === '' || typeof email !== 'string' || email === '') {
        throw new AuthenticationError('INVALID_TOKEN', 'The token needs `sub` and `email` claims.');
      }
      const groupList = Array.isArray(groups) ? groups.filter((g) => typeof g === 'string') : [];
      const emailVerified = emailVerifiedClaim(payload.email_verified);
      const claims: UserClaims = {
        // jose has checked `iss` against the configured issuer, so it is a string here.
        issuer: typeof iss === 'string' ? iss : this.settings.issuer,
        subject: sub,
        email,
        groups: groupList,
        ...(emailVerified === undefined ? {} : { emailVerified }),
      };
      // requiredClaims has made jose check that `exp` is there and a number.
      return { claims, expiresAt: payload.exp! };
    } catch (error) {
      if (error instanceof AuthenticationError) throw error;
      throw new AuthenticationError('INVALID_TOKEN', describeJwtFailure(error));
    }
  }
}

/** Every caller gets claims of its own: a remembered token's are never shared. */
function copyClaims(claims: UserClaims): UserClaims {
  return { ...claims, groups: [...claims.groups] };
}

/**
 * OIDC says boolean; some providers (Cognito) send the strings "true" and "false". Anything
 * else is treated as not stated, not as verified.
 */
function emailVerifiedClaim(claim: unknown): boolean | undefined {
  if (claim === true || claim === 'true') return true;
  if (claim === false || claim === 'false') return false;
  return undefined;
}

function describeJwtFailure(error: unknown): string {
  if (error instanceof errors.JWTExpired) return 'The token has expired: sign in again.';
  if (error instanceof errors.JWTClaimValidationFailed && error.reason === 'missing') {
    return error.claim === 'exp'
      ? 'The token has no `exp` claim: only tokens that expire are accepted; have the identity provider issue them with an expiry.'
      : `The token lacks its "${error.claim}" claim: send a token issued for this service.`;
  }
  if (error instanceof errors.JWTClaimValidationFailed) {
    return `The token's "${error.claim}" claim is not accepted here.`;
  }
  return 'The token could not be verified: send a token issued for this service.';
}
