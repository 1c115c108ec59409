import type { Actor } from '#libs/domain';
import type { Settings } from '#libs/config';
import { API_KEY_PREFIX, hashApiKeySecret } from './api-key-secret.js';
import { AuthenticationError } from './authentication-error.js';
import { JwtVerifier } from './jwt-verifier.js';
import { StaticTokenSet, tokenDigest } from './static-token-set.js';

/** The key a secret belongs to, if it is a live key (not revoked, not expired: R15). */
export type ApiKeyVerifier = (
  secretHash: string,
  now: string,
) => Promise<{ organizationId: string; keyId: string } | undefined>;

/**
 * Turns an Authorization header into an Actor: a support or auditor token from configuration
 * (S4), an API key's secret (R15, when a verifier is given), else a member's JWT (S3).
 * Tenant isolation (S1) is the deciders' and readers' job: they resolve the actor against the
 * organization addressed and answer 404 for strangers.
 */
export class Authenticator {
  private readonly support: StaticTokenSet;
  private readonly auditors: StaticTokenSet;
  private readonly jwt: JwtVerifier;

  constructor(
    settings: Pick<Settings, 'jwt' | 'supportTokens' | 'auditorTokens'>,
    private readonly verifyApiKey?: ApiKeyVerifier,
  ) {
    this.support = new StaticTokenSet(settings.supportTokens);
    this.auditors = new StaticTokenSet(settings.auditorTokens);
    this.jwt = new JwtVerifier(settings.jwt);
  }

  async authenticate(authorization: string | undefined): Promise<Actor> {
    const token = bearerToken(authorization);
    const digest = tokenDigest(token);
    const supportIndex = this.support.matchDigest(digest);
    if (supportIndex >= 0) return { type: 'support', id: `support-${supportIndex + 1}` };
    const auditorIndex = this.auditors.matchDigest(digest);
    if (auditorIndex >= 0) return { type: 'auditor', id: `auditor-${auditorIndex + 1}` };
    if (token.startsWith(API_KEY_PREFIX)) return this.apiKey(token);
    return { type: 'user', ...(await this.jwt.verify(token, digest)) };
  }

  private async apiKey(secret: string): Promise<Actor> {
    const key = await this.verifyApiKey?.(hashApiKeySecret(secret), new Date().toISOString());
    if (!key) {
      throw new AuthenticationError(
        'INVALID_TOKEN',
        'This API key is unknown, revoked or expired: ask a member holding truora.keys for a new one.',
      );
    }
    return { type: 'api_key', keyId: key.keyId, organizationId: key.organizationId };
  }
}

function bearerToken(authorization: string | undefined): string {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
  if (!match) {
    throw new AuthenticationError(
      'UNAUTHENTICATED',
      'Send `Authorization: Bearer <token>` (a member JWT, or a support or auditor token).',
    );
  }
  return match[1];
}
