import { createRemoteJWKSet, errors, jwtVerify, type JWTVerifyGetKey } from 'jose';
import type { JwtSettings } from '#libs/config';
import { AuthenticationError } from './authentication-error.js';

/** The claims Access Ledger uses (S3). */
export interface UserClaims {
  subject: string;
  email: string;
  groups: string[];
}

/**
 * Verifies a JWT's signature, issuer, audience and expiry (S3): HS256 with a shared secret in
 * development, keys from a JWKS URL in production.
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
      };
      // jose types the two key kinds through separate overloads.
      const { payload } =
        this.key instanceof Uint8Array
          ? await jwtVerify(token, this.key, options)
          : await jwtVerify(token, this.key, options);
      const { sub, email, groups } = payload as {
        sub?: unknown;
        email?: unknown;
        groups?: unknown;
      };
      if (typeof sub !== 'string' || sub === '' || typeof email !== 'string' || email === '') {
        throw new AuthenticationError('INVALID_TOKEN', 'The token needs `sub` and `email` claims.');
      }
      const groupList = Array.isArray(groups) ? groups.filter((g) => typeof g === 'string') : [];
      return { subject: sub, email, groups: groupList };
    } catch (error) {
      if (error instanceof AuthenticationError) throw error;
      throw new AuthenticationError('INVALID_TOKEN', describeJwtFailure(error));
    }
  }
}

function describeJwtFailure(error: unknown): string {
  if (error instanceof errors.JWTExpired) return 'The token has expired: sign in again.';
  if (error instanceof errors.JWTClaimValidationFailed) {
    return `The token's "${error.claim}" claim is not accepted here.`;
  }
  return 'The token could not be verified: send a token issued for this service.';
}
