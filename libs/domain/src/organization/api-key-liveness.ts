// R15's one judgement of expiry lives with the access engine, which asks it too.
export { isKeyLive, type KeyLiveness } from '#libs/access';

/** `expiresAt` as a UTC instant, the form ApiKeyIssued records it in (decided at issue). */
export function normalizeExpiry(expiresAt: string): string {
  return new Date(expiresAt).toISOString();
}
