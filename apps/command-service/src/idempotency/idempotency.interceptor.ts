import { createHash } from 'node:crypto';
import {
  BadRequestException,
  Injectable,
  type CallHandler,
  type ExecutionContext,
  type NestInterceptor,
} from '@nestjs/common';
import type { Response } from 'express';
import { map, type Observable } from 'rxjs';
import type { Actor } from '#libs/domain';
import { IDEMPOTENCY_KEY, type AuthenticatedRequest } from '#libs/http';

/**
 * R37 at the HTTP edge. The key is hashed with the caller's identity (two callers' keys never
 * meet, and the raw key is kept nowhere) and travels with the command, which writes it into
 * its events' metadata; the command side answers a retry from there (ADR 13). This
 * interceptor only checks the header, fingerprints the request (a key reused for another
 * request is refused) and marks a replayed answer. A replayed key issuance never shows the
 * secret again (R14): it was shown once, to the first send.
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const key = request.headers['idempotency-key'];
    if (key === undefined || request.method === 'GET') return next.handle();
    if (typeof key !== 'string' || !IDEMPOTENCY_KEY.test(key)) {
      throw new BadRequestException({
        code: 'INVALID_IDEMPOTENCY_KEY',
        message: 'Idempotency-Key must be 1 to 255 visible ASCII characters, e.g. a UUID.',
      });
    }
    const idempotency = {
      key: sha256(`${actorKey(request.actor)}\n${key}`),
      fingerprint: sha256(
        `${request.method} ${request.originalUrl}\n${JSON.stringify(request.body ?? null)}`,
      ),
      replayed: false,
    };
    request.idempotency = idempotency;
    const response = context.switchToHttp().getResponse<Response>();
    return next.handle().pipe(
      map((body: unknown) => {
        if (!idempotency.replayed) return body;
        response.setHeader('Idempotent-Replayed', 'true');
        return withoutSecrets(body);
      }),
    );
  }
}

function actorKey(actor: Actor | undefined): string {
  if (!actor) return 'anonymous';
  if (actor.type === 'user') return `user:${actor.subject}`;
  if (actor.type === 'api_key') return `api_key:${actor.keyId}`;
  return `${actor.type}:${actor.id}`;
}

function withoutSecrets(body: unknown): unknown {
  if (!body || typeof body !== 'object' || !('secret' in body)) return body;
  return { ...body, secret: null, secretShownOnce: true };
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
