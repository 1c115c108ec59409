/** What judging a key's liveness needs: the domain state, credentials and audit documents fit. */
export interface KeyLiveness {
  status: 'active' | 'revoked';
  /** ISO-8601; UTC from issue on, but events recorded before that may carry any offset. */
  expiresAt: string | null;
}

/**
 * R15, the one judgement of expiry: a key is live while it is not revoked and `now` is
 * strictly before `expiresAt`, so at the instant itself it is expired. The domain, the
 * credentials verifier and the key views all ask this, so a key cannot authenticate reads
 * after the domain calls it expired. Instants, not strings: `…T00:00:00+02:00` is earlier
 * than `…T00:00:00Z`, and old events keep the offset they were given. A time that cannot be
 * read counts as expired (fail closed).
 */
export function isKeyLive(key: KeyLiveness, now: string): boolean {
  if (key.status !== 'active') return false;
  if (key.expiresAt === null) return true;
  const expiresAt = Date.parse(key.expiresAt);
  const at = Date.parse(now);
  if (Number.isNaN(expiresAt) || Number.isNaN(at)) return false;
  return at < expiresAt;
}

/** `expiresAt` as a UTC instant, the form ApiKeyIssued records it in (decided at issue). */
export function normalizeExpiry(expiresAt: string): string {
  return new Date(expiresAt).toISOString();
}
