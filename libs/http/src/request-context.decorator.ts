import { createHash, randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { Response } from 'express';
import type { Actor } from '#libs/domain';
import type { AuthenticatedRequest } from './authentication.guard.js';

/**
 * A command request sent with an `Idempotency-Key` (R37): the key hashed with the caller's
 * identity, the request's fingerprint, and whether the answer is the first send's result.
 */
export interface IdempotentRequest {
  key: string;
  fingerprint: string;
  /** Set by the command side when the command had already run: the answer is a replay. */
  replayed: boolean;
}

/** Who asks, when, and under which correlation id (R32). */
export interface RequestContext {
  actor: Actor;
  now: string;
  correlationId: string;
  /**
   * A new id for something the request creates. With an Idempotency-Key the ids are derived
   * from it, so a retry names the same organization, member or project as the first send
   * and finds its result instead of creating a second one (R37).
   */
  newId(): string;
  idempotency?: IdempotentRequest;
}

/** What a caller-chosen id (`X-Correlation-Id`, `X-Request-Id`) must look like to be kept. */
export const WELL_FORMED_ID = /^[A-Za-z0-9._:-]{1,128}$/;

const CORRELATION_ID = Symbol('correlationId');
type WithCorrelationId = IncomingMessage & { [CORRELATION_ID]?: string };

/**
 * The request's correlation id, decided once per request: the caller's `X-Correlation-Id` when
 * well-formed, so a chain of calls across services can be followed through the events and the
 * logs; otherwise a new one. The request log line and the command context read the same id.
 */
export function correlationIdOf(request: IncomingMessage): string {
  const memo = request as WithCorrelationId;
  if (memo[CORRELATION_ID] === undefined) {
    const given = request.headers['x-correlation-id'];
    memo[CORRELATION_ID] =
      typeof given === 'string' && WELL_FORMED_ID.test(given) ? given : randomUUID();
  }
  return memo[CORRELATION_ID];
}

/** The request's context, its correlation id echoed in the response (see correlationIdOf). */
export const Context = createParamDecorator(
  (_: unknown, context: ExecutionContext): RequestContext => {
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    if (!request.actor) throw new Error('Context used on a public route');
    const correlationId = correlationIdOf(request);
    context.switchToHttp().getResponse<Response>().setHeader('X-Correlation-Id', correlationId);
    const { idempotency } = request;
    return {
      actor: request.actor,
      now: new Date().toISOString(),
      correlationId,
      newId: idempotency ? nameBasedIds(idempotency.key) : randomUUID,
      idempotency,
    };
  },
);

/** The namespace of the name-based ids (RFC 9562 §5.5) derived from Idempotency-Keys. */
const IDEMPOTENT_IDS = Buffer.from('5d0c6f3e8a8e4f4bb1c2a1e07c0ffee5', 'hex');

/** UUIDv5 of `<key>:<n>` for n = 0, 1, ...: the same sequence for every send of one key. */
function nameBasedIds(key: string): () => string {
  let next = 0;
  return () => {
    const hash = createHash('sha1').update(IDEMPOTENT_IDS).update(`${key}:${next++}`).digest();
    hash[6] = (hash[6] & 0x0f) | 0x50;
    hash[8] = (hash[8] & 0x3f) | 0x80;
    const hex = hash.subarray(0, 16).toString('hex');
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  };
}
