import { applyDecorators } from '@nestjs/common';
import { ApiQuery, type ApiQueryOptions, type SchemaObject } from '@nestjs/swagger';

/* What ApiRead does not say by itself for some reads of the query service. */

/** Documents each query parameter; every one must say its type (no `schema: {}`). */
export function ApiQueries(queries: (ApiQueryOptions & { schema: SchemaObject })[]) {
  return applyDecorators(...queries.map((query) => ApiQuery({ required: false, ...query })));
}

/** The 403 of every read that takes `asOf` (R33). */
export const AS_OF_REFUSAL =
  '`AS_OF_NOT_ALLOWED`: `asOf` asked by a member who is not an org admin, or by a key not holding the whole admin namespace. Support, auditors and org admins read the past; an org admin can give a member full_access.';

/** The 403s of a read that takes `asOf`: its own, each a sentence naming its code, then asOf's. */
export const forbiddenAsOf = (...reasons: string[]): string =>
  [...reasons, AS_OF_REFUSAL].join(' ');

/** The 403 of the reads judged by workspace and project roles (R20-R29), which keys lack. */
export const KEYS_REFUSAL =
  '`API_KEY_NOT_ALLOWED`: an API key asked; keys hold permissions, not workspace or project roles, so a member reads this.';
