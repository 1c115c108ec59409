import { createHash, randomBytes } from 'node:crypto';

/** Recognisable in logs and secret scanners; not secret itself. */
export const API_KEY_PREFIX = 'alk_';

export interface GeneratedApiKeySecret {
  /** Returned to the caller once, never stored (R14). */
  secret: string;
  secretHash: string;
  /** The first characters, to tell keys apart in lists. */
  secretPrefix: string;
}

/**
 * 256 random bits (R14). A fast hash is enough: unlike a password, the secret has full
 * entropy, so it cannot be guessed from its hash.
 */
export function generateApiKeySecret(): GeneratedApiKeySecret {
  const secret = API_KEY_PREFIX + randomBytes(32).toString('base64url');
  return { secret, secretHash: hashApiKeySecret(secret), secretPrefix: secret.slice(0, 10) };
}

export function hashApiKeySecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}
