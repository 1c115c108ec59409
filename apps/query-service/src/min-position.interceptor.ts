import {
  BadRequestException,
  Inject,
  Injectable,
  SetMetadata,
  type CallHandler,
  type ExecutionContext,
  type NestInterceptor,
} from '@nestjs/common';
import type { Request } from 'express';
import { Reflector } from '@nestjs/core';
import { from, switchMap, type Observable } from 'rxjs';
import { comparePositions } from '#libs/event-store';
import { ApiError, MIN_POSITION_PARAMETER } from '#libs/http';
import {
  READ_MODEL_PROGRESS,
  HISTORY_STORE,
  type ReadModelProgress,
  type StoreHead,
} from './tokens.js';

const HONOURS_MIN_POSITION = 'honoursMinPosition';

/** Marks a read sent as POST (a batch too large for a query string) that honours minPosition. */
export const HonoursMinPosition = () => SetMetadata(HONOURS_MIN_POSITION, true);

/** How long a read waits for the read models to reach `minPosition` before answering 503. */
export const READ_YOUR_WRITES_TIMEOUT_MS = 2_000;

/**
 * R35, second half: a query given `?minPosition=` (the position a command answered with)
 * answers only once the read models have reached it, so a client always reads its own write;
 * past a bounded wait it answers 503 with Retry-After rather than stale data. A position
 * beyond the store's head was never answered by a command, and no wait would reach it: that is
 * the client's mistake, answered 400 at once instead of holding the connection.
 */
@Injectable()
export class MinPositionInterceptor implements NestInterceptor {
  constructor(
    @Inject(READ_MODEL_PROGRESS) private readonly progress: ReadModelProgress,
    @Inject(HISTORY_STORE) private readonly store: StoreHead,
    private readonly reflector: Reflector,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const request = context.switchToHttp().getRequest<Request>();
    const minPosition = request.query.minPosition;
    const isRead =
      request.method === 'GET' ||
      this.reflector.get<boolean>(HONOURS_MIN_POSITION, context.getHandler()) === true;
    if (!isRead || minPosition === undefined) return next.handle();
    if (typeof minPosition !== 'string' || !MIN_POSITION_PARAMETER.test(minPosition)) {
      throw new BadRequestException({
        code: 'INVALID_MIN_POSITION',
        message: 'minPosition must be a position as returned by a command, e.g. "42".',
      });
    }
    return from(this.admit(minPosition)).pipe(switchMap(() => next.handle()));
  }

  private async admit(minPosition: string): Promise<void> {
    // A command answers only once its events are durable, so the head read now is never behind
    // a position a command returned: only a position no command returned fails this.
    if (comparePositions(minPosition, await this.store.headPosition()) > 0) {
      throw new ApiError(
        400,
        'MIN_POSITION_AHEAD_OF_STORE',
        `No command has answered with position ${minPosition}: pass the \`position\` a command returned.`,
        { minPosition },
      );
    }
    if (!(await this.progress.waitFor(minPosition, READ_YOUR_WRITES_TIMEOUT_MS))) {
      throw new ApiError(
        503,
        'READ_MODEL_BEHIND',
        `The read models have not reached position ${minPosition} yet; retry shortly.`,
        { minPosition },
        1,
      );
    }
  }
}
