import { applyDecorators } from '@nestjs/common';
import {
  ApiQuery,
  ApiResponse,
  type ApiQueryOptions,
  type HeadersObject,
  type ReferenceObject,
  type SchemaObject,
} from '@nestjs/swagger';
import { AS_OF_POINT, ApiRead, type ReadAnswer } from '#libs/http';

/* What ApiRead does not say by itself for some reads of the query service. */

/** Documents each query parameter; every one must say its type (no `schema: {}`). */
export function ApiQueries(queries: (ApiQueryOptions & { schema: SchemaObject })[]) {
  return applyDecorators(...queries.map((query) => ApiQuery({ required: false, ...query })));
}

export interface ReadContent {
  description: string;
  /** The answer by media type: a CSV or NDJSON is `{ type: 'string' }`. */
  content: Record<string, SchemaObject | ReferenceObject>;
  headers?: HeadersObject;
}

/**
 * A read whose 200 is not the JSON body ApiRead writes — a CSV, an NDJSON stream, or JSON that
 * carries its point as `position`/`time` rather than `asOf` — with ApiRead's parameters and
 * refusals. Refusals stay `application/json`, which Nest's ApiProduces would move under the
 * 200's media types too.
 */
export function ApiReadAs(
  { description, content, headers }: ReadContent,
  options: Omit<ReadAnswer, 'page'> = {},
) {
  return applyDecorators(
    // ApiRead's 200 is replaced just below: the item it is given is never documented.
    ApiRead(AS_OF_POINT, options),
    ApiResponse({
      status: 200,
      description,
      // Without a schema, Nest keeps `content` as given, media types and all.
      schema: undefined as unknown as SchemaObject,
      content: Object.fromEntries(
        Object.entries(content).map(([type, schema]) => [type, { schema }]),
      ),
      ...(headers ? { headers } : {}),
    }),
  );
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
