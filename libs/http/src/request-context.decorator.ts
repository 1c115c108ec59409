import { randomUUID } from 'node:crypto';
import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { Response } from 'express';
import type { Actor } from '#libs/domain';
import type { AuthenticatedRequest } from './authentication.guard.js';

/** Who asks, when, and under which correlation id (R32). */
export interface RequestContext {
  actor: Actor;
  now: string;
  correlationId: string;
}

const CORRELATION_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * The request's context. A caller's `X-Correlation-Id` is kept when well-formed, so a chain of
 * calls across services can be followed through the events; otherwise a new one is made.
 * It is echoed in the response either way.
 */
export const Context = createParamDecorator(
  (_: unknown, context: ExecutionContext): RequestContext => {
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    if (!request.actor) throw new Error('Context used on a public route');
    const given = request.headers['x-correlation-id'];
    const correlationId =
      typeof given === 'string' && CORRELATION_ID.test(given) ? given : randomUUID();
    context.switchToHttp().getResponse<Response>().setHeader('X-Correlation-Id', correlationId);
    return { actor: request.actor, now: new Date().toISOString(), correlationId };
  },
);
