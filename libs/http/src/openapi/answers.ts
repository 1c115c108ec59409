import { applyDecorators } from '@nestjs/common';
import {
  ApiHeader,
  ApiQuery,
  ApiResponse,
  type HeadersObject,
  type ReferenceObject,
  type SchemaObject,
} from '@nestjs/swagger';
import { namedSchema } from './named-schemas.js';

/*
 * The answers of every operation in the OpenAPI document, written once: what a command
 * answers, what a read answers, and the refusals of the error model (R38). A controller says
 * only what is particular to its operation; `completeDocument` adds what every operation of a
 * kind shares (401 when secured, 400/413/415 when it takes a body, the correlation header).
 */

type Schema = SchemaObject | ReferenceObject;

/** Nest's decorator types a response schema as an object that may carry `$ref`. */
export function asSchema(schema: Schema): SchemaObject {
  return schema as SchemaObject;
}

/*
 * Headers and parameters the API checks, each one pattern that the check and the document
 * share, so what is documented is what is enforced.
 */

/** `Idempotency-Key` (R37): 1 to 255 visible ASCII characters. */
export const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,255}$/;
/** `minPosition` (R35): a position as a command answers it. */
export const MIN_POSITION_PARAMETER = /^\d{1,30}$/;

/** The one error shape of the API (R38); `code` is what a client matches on. */
export const ERROR = namedSchema('Error', {
  type: 'object',
  required: ['statusCode', 'code', 'message'],
  properties: {
    statusCode: { type: 'integer', example: 409 },
    code: { type: 'string', pattern: '^[A-Z][A-Z0-9_]*$', example: 'LAST_FULL_ACCESS_MEMBER' },
    message: { type: 'string', description: 'What went wrong and what to do next' },
    details: {
      type: 'object',
      additionalProperties: true,
      description: 'E.g. `fields` at fault, `missing` permissions, `projects` blocking a removal',
    },
  },
});

/** What each refusal means on any operation; an operation may say more precisely. */
export const REFUSALS = {
  400: 'Malformed input: a body field, a path id or a query parameter (named in `details.fields` when known)',
  401: 'No credentials, or none valid: a forged, expired or unbound token, an unknown or revoked key',
  403: 'Authenticated, but not allowed: `code` names what is missing and `message` who can grant it',
  404: 'Unknown, or belonging to another organization (S1)',
  409: 'Refused by the current state (e.g. `LAST_FULL_ACCESS_MEMBER`); nothing was appended',
  413: 'A body larger than 1 MiB',
  415: 'A body that is not JSON in UTF-8 (on any route: those without a body take none)',
  422: 'Refused by a rule (e.g. `PERMISSION_NOT_IN_CATALOG`), or an `Idempotency-Key` reused for another request (R37); nothing was appended',
  503: 'Not available yet: read models behind `minPosition` after the bounded wait, or the event store unreachable. Retry after `Retry-After` seconds',
} as const;

export type RefusalStatus = keyof typeof REFUSALS;

/**
 * Statuses an operation refuses with: `true` for the usual meaning, its own description, or
 * `false` for a status a kind of operation usually answers and this one never does.
 */
export type Refusals = Partial<Record<RefusalStatus, boolean | string>>;

const RETRY_AFTER = {
  'Retry-After': { description: 'Seconds to wait before retrying', schema: { type: 'integer' } },
};

/** Documents each refusal with the error model. */
export function ApiRefusals(refusals: Refusals): MethodDecorator {
  return applyDecorators(
    ...Object.entries(refusals)
      .filter(([, meaning]) => meaning !== false)
      .map(([status, meaning]) =>
        ApiResponse({
          status: Number(status),
          description:
            typeof meaning === 'string' ? meaning : REFUSALS[Number(status) as RefusalStatus],
          schema: asSchema(ERROR),
          ...(status === '503' ? { headers: RETRY_AFTER } : {}),
        }),
      ),
  );
}

const EVENT_REFERENCE = namedSchema('AppendedEvent', {
  type: 'object',
  required: ['id', 'type'],
  properties: {
    id: { type: 'string', format: 'uuid', description: 'The event id (UUIDv7)' },
    type: { type: 'string', example: 'MemberRoleChanged' },
  },
});

/** What every command answers (R35): the position of its last event and the events appended. */
export const COMMAND_RESULT = namedSchema('CommandResult', {
  type: 'object',
  required: ['position', 'events'],
  properties: {
    position: {
      type: 'string',
      pattern: '^\\d+$',
      example: '42',
      description:
        'Global position of the last event appended: pass it as `minPosition` to read your write (R35)',
    },
    events: { type: 'array', items: EVENT_REFERENCE },
  },
});

export interface CommandAnswer {
  /** 201 for a command that creates something addressable; 200 otherwise. */
  status?: 200 | 201;
  /**
   * The named schema of the answer when it carries more than CommandResult (the ids the
   * command created, a key's secret); it must extend CommandResult (allOf).
   */
  answer?: ReferenceObject;
  /** The refusals this command can answer beyond 404, 409 and 422, or their own wording. */
  refusals?: Refusals;
}

/** A command: `Idempotency-Key` (R37), its answer, and the refusals every command can give. */
export function ApiCommand({
  status = 200,
  answer,
  refusals,
}: CommandAnswer = {}): MethodDecorator {
  return applyDecorators(
    ApiHeader({
      name: 'Idempotency-Key',
      required: false,
      description:
        'Makes the command safe to retry: the same key with the same request answers the first result and appends nothing; with another request, 422 (R37). 1–255 visible ASCII characters, e.g. a UUID.',
      schema: { type: 'string', pattern: IDEMPOTENCY_KEY.source },
    }),
    ApiResponse({
      status,
      description: 'Appended. A replay of an Idempotency-Key answers the first result again.',
      schema: asSchema(answer ?? COMMAND_RESULT),
      headers: {
        'Idempotent-Replayed': {
          description: '`true` when this is the first result of an earlier send of the key',
          schema: { type: 'string', enum: ['true'] },
        },
      },
    }),
    ApiRefusals({ 403: true, 404: true, 409: true, 422: true, 503: true, ...refusals }),
  );
}

/** A command answer: CommandResult, the properties particular to it, and optional ones. */
export function commandAnswer(
  name: string,
  properties: Record<string, Schema>,
  optional: Record<string, Schema> = {},
): ReferenceObject {
  return namedSchema(name, {
    allOf: [
      COMMAND_RESULT,
      {
        type: 'object',
        required: Object.keys(properties),
        properties: { ...properties, ...optional },
      },
    ],
  });
}

/** The point an as-of answer reflects (R33). */
export const AS_OF_POINT = namedSchema('AsOfPoint', {
  type: 'object',
  required: ['position', 'time'],
  description: 'The last event the answer reflects, present when `asOf` was asked (R33)',
  properties: {
    position: { type: 'string', pattern: '^\\d+$', example: '42' },
    time: { type: 'string', format: 'date-time' },
  },
});

const MIN_POSITION = ApiQuery({
  name: 'minPosition',
  required: false,
  description:
    "Answer only once the read models have reached this position (a command's `position`), waiting a bounded time, else 503 with Retry-After (R35)",
  schema: { type: 'string', pattern: MIN_POSITION_PARAMETER.source },
});

const AS_OF = ApiQuery({
  name: 'asOf',
  required: false,
  description:
    'Answer as of a past point: an ISO-8601 instant or a global position (R33; support, auditors, org admins). The answer then carries `asOf`, the last event it reflects. Before the organization existed: 404; in the future: 400.',
  schema: { type: 'string', example: '2026-01-31T23:59:59Z' },
});

const PAGING = [
  ApiQuery({
    name: 'limit',
    required: false,
    description: 'Page size, 1 to 500 (default 100)',
    schema: { type: 'integer', minimum: 1, maximum: 500, default: 100 },
  }),
  ApiQuery({
    name: 'cursor',
    required: false,
    description: '`nextCursor` of the previous page',
    schema: { type: 'string' },
  }),
];

export interface ReadAnswer {
  /** Whether the read takes `asOf` (R33). */
  asOf?: boolean;
  /** The name of the page schema when the read is paged (`limit`, `cursor`, `nextCursor`). */
  page?: string;
  /** The refusals this read can answer beyond 400, 404 and 503, or their own wording. */
  refusals?: Refusals;
}

/**
 * The answer of a read that is not a JSON item or page of them — a CSV, an NDJSON or SSE
 * stream, or JSON carrying its point in its own words — by media type.
 */
export interface ReadContent {
  description: string;
  /** The answer by media type: a CSV or NDJSON is `{ type: 'string' }`. */
  content: Record<string, Schema>;
  headers?: HeadersObject;
}

/**
 * A read: `minPosition` (R35) and, as it applies, `asOf` (R33) and paging, with its answer:
 * `item` itself, or pages of `item`, carrying `asOf` when asked; or content of its own.
 */
export function ApiRead(
  answer: ReferenceObject | ReadContent,
  { asOf, page, refusals }: ReadAnswer = {},
) {
  return applyDecorators(
    MIN_POSITION,
    ...(asOf ? [AS_OF] : []),
    ...(page ? PAGING : []),
    'content' in answer ? ownContent(answer) : jsonAnswer(answer, { asOf, page }),
    ApiRefusals({ 400: true, 404: true, 503: true, ...refusals }),
  );
}

function jsonAnswer(item: ReferenceObject, { asOf, page }: ReadAnswer) {
  const answer = page
    ? namedSchema(page, {
        type: 'object',
        required: ['items', 'nextCursor'],
        properties: {
          items: { type: 'array', items: item },
          nextCursor: {
            type: 'string',
            nullable: true,
            description: 'Pass as `cursor` for the next page; null on the last one',
          },
          ...(asOf ? { asOf: AS_OF_POINT } : {}),
        },
      })
    : asOf
      ? { allOf: [item, { type: 'object', properties: { asOf: AS_OF_POINT } }] }
      : item;
  return ApiResponse({ status: 200, description: 'OK', schema: asSchema(answer) });
}

/** Refusals stay `application/json`, which Nest's ApiProduces would move under the 200's types. */
function ownContent({ description, content, headers }: ReadContent) {
  return ApiResponse({
    status: 200,
    description,
    // Without a schema, Nest keeps `content` as given, media types and all.
    schema: undefined as unknown as SchemaObject,
    content: Object.fromEntries(
      Object.entries(content).map(([type, schema]) => [type, { schema }]),
    ),
    ...(headers ? { headers } : {}),
  });
}
