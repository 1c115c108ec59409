import { createHash } from 'node:crypto';
import {
  BadRequestException,
  HttpException,
  Inject,
  Injectable,
  UnprocessableEntityException,
  type CallHandler,
  type ExecutionContext,
  type NestInterceptor,
} from '@nestjs/common';
import type { Response } from 'express';
import { from, lastValueFrom, type Observable } from 'rxjs';
import type { Actor } from '#libs/domain';
import { toErrorBody } from '#libs/http';
import type { AuthenticatedRequest } from '#libs/http';
import { KeyedMutex } from '../infrastructure/keyed-mutex.js';
import { IDEMPOTENCY_STORE } from '../infrastructure/tokens.js';
import type { IdempotencyStore } from './idempotency.store.js';

const KEY_PATTERN = /^[\x21-\x7e]{1,255}$/;

/**
 * R37: a command sent again with the same Idempotency-Key returns the first result and
 * appends nothing. Keys are scoped to the actor, so two callers cannot collide or read each
 * other's results; a key reused for a different request is refused. Failures from our side
 * (5xx) are not remembered, so a retry after one runs again. Fields named `secret` are never
 * remembered (R14): a replayed key issuance says the secret was shown once.
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  private readonly inFlight = new KeyedMutex();

  constructor(@Inject(IDEMPOTENCY_STORE) private readonly store: IdempotencyStore) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const key = request.headers['idempotency-key'];
    if (key === undefined || request.method === 'GET') return next.handle();
    if (typeof key !== 'string' || !KEY_PATTERN.test(key)) {
      throw new BadRequestException({
        code: 'INVALID_IDEMPOTENCY_KEY',
        message: 'Idempotency-Key must be 1 to 255 visible ASCII characters, e.g. a UUID.',
      });
    }
    const response = context.switchToHttp().getResponse<Response>();
    const scope = `${actorKey(request.actor)}|${key}`;
    const fingerprint = sha256(
      `${request.method} ${request.originalUrl}\n${JSON.stringify(request.body ?? null)}`,
    );
    return from(this.inFlight.run(scope, () => this.once(scope, fingerprint, response, next)));
  }

  private async once(
    scope: string,
    fingerprint: string,
    response: Response,
    next: CallHandler,
  ): Promise<unknown> {
    const remembered = await this.store.get(scope);
    if (remembered) {
      if (remembered.fingerprint !== fingerprint) {
        throw new UnprocessableEntityException({
          code: 'IDEMPOTENCY_KEY_REUSED',
          message: 'This Idempotency-Key was used for a different request: use a new key.',
        });
      }
      response.setHeader('Idempotent-Replayed', 'true');
      if (remembered.statusCode >= 400)
        throw new HttpException(remembered.body as object, remembered.statusCode);
      response.status(remembered.statusCode);
      return remembered.body;
    }
    try {
      const body = await lastValueFrom(next.handle(), { defaultValue: undefined });
      await this.remember(scope, fingerprint, response.statusCode, body);
      return body;
    } catch (error) {
      // A refusal is the first result too: replaying it must not run the command again.
      const refusal = toErrorBody(error);
      if (refusal.statusCode < 500)
        await this.remember(scope, fingerprint, refusal.statusCode, refusal);
      throw error;
    }
  }

  private remember(
    scope: string,
    fingerprint: string,
    statusCode: number,
    body: unknown,
  ): Promise<void> {
    return this.store.put(scope, {
      fingerprint,
      statusCode,
      body: withoutSecrets(body),
      storedAt: Date.now(),
    });
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
