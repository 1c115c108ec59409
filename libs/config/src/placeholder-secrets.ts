/**
 * Words that mark a secret as a placeholder: the values shipped in examples and compose files
 * ("…-change-me") and the usual stand-ins. One list, here, so that every example secret the
 * repository ever shows is refused in production by the same rule (ADR 25). Matched
 * case-insensitively anywhere in the value.
 */
export const PLACEHOLDER_MARKERS: readonly string[] = [
  'change-me',
  'changeme',
  'change_me',
  'replace-me',
  'replaceme',
  'placeholder',
  'example',
  'insecure',
  'not-a-secret',
  'compose-only',
];

/** The command a refusal suggests: 32 random bytes, URL-safe, enough for every secret here. */
export const GENERATE_SECRET_COMMAND = `node -e "console.log(require('node:crypto').randomBytes(32).toString('base64url'))"`;

/** The marker that makes `value` a placeholder, if one does. */
export function placeholderMarkerOf(value: string): string | undefined {
  const lower = value.toLowerCase();
  return PLACEHOLDER_MARKERS.find((marker) => lower.includes(marker));
}
