import { createRemoteJWKSet, errors, jwtVerify, type JWTVerifyGetKey } from 'jose';
import type { JwtSettings } from '#libs/config';
import { AuthenticationError } from './authentication-error.js';

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
 * Verifies a JWT's signature, issuer, audience and expiry (S3): HS256 with a shared secret in
 * development, keys from a JWKS URL in production. A token without `exp` is refused: jose
 * checks `exp` only when present, and a token that never expires cannot be withdrawn.
 */
export class JwtVerifier {
  private readonly key: Uint8Array | JWTVerifyGetKey;
  private readonly algorithms: string[];

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

  async verify(token: string): Promise<UserClaims> {
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
      return {
        // jose has checked `iss` against the configured issuer, so it is a string here.
        issuer: typeof iss === 'string' ? iss : this.settings.issuer,
        subject: sub,
        email,
        groups: groupList,
        ...(emailVerified === undefined ? {} : { emailVerified }),
      };
    } catch (error) {
      if (error instanceof AuthenticationError) throw error;
      throw new AuthenticationError('INVALID_TOKEN', describeJwtFailure(error));
    }
  }
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
