import { API_KEY_PREFIX } from '#libs/auth';

/**
 * What an API-key secret looks like: the prefix and (at least) 16 base64url characters. The
 * 10-character `secretPrefix` that tells keys apart in lists stays readable.
 */
const API_KEY_SECRET = new RegExp(`${API_KEY_PREFIX}[A-Za-z0-9_-]{16,}`, 'g');
/** A JWT: a base64url JSON header (`eyJ`), a payload and a signature. */
const JWT = /eyJ[A-Za-z0-9_-]*\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*/g;

/**
 * The names under which the code keeps a secret (S2): an API key's secret (returned once) and
 * its hash, bearer tokens and the settings that hold them. One list for every place that
 * censors by name — error details here, the logs' redaction (libs/logging) — so a new
 * secret-bearing field is added once.
 */
export const SECRET_FIELD_NAMES = [
  'secret',
  'secretHash',
  'token',
  'supportTokens',
  'auditorTokens',
  'authorization',
  'cookie',
] as const;

const SECRET_FIELDS: ReadonlySet<string> = new Set(SECRET_FIELD_NAMES);

/** What a censored value reads as. */
export const REDACTED = '[redacted]';

/**
 * The text with anything shaped like a secret replaced (S2). Error messages quote names and
 * ids a client chose; one who chose a secret-shaped name must not get a secret echoed back,
 * nor see one in a log or a support ticket that copies the answer.
 */
export function redactSecrets(text: string): string {
  return text
    .replace(API_KEY_SECRET, `${API_KEY_PREFIX}[redacted]`)
    .replace(JWT, '[redacted token]');
}

/**
 * Every string (and key) in a JSON-like value, redacted, and the value of every field named in
 * SECRET_FIELD_NAMES censored whatever its shape: details are small, made by us.
 */
export function redactSecretsIn<T>(value: T): T {
  if (typeof value === 'string') return redactSecrets(value) as T;
  if (Array.isArray(value)) return value.map((item: unknown) => redactSecretsIn(item)) as T;
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [
        redactSecrets(key),
        SECRET_FIELDS.has(key) ? REDACTED : redactSecretsIn(item),
      ]),
    ) as T;
  }
  return value;
}
