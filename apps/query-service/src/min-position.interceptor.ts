import {
  BadRequestException,
  Inject,
  Injectable,
  type CallHandler,
  type ExecutionContext,
  type NestInterceptor,
} from '@nestjs/common';
import type { Request } from 'express';
import { from, switchMap, type Observable } from 'rxjs';
import { ApiError } from '#libs/http';
import { READ_MODEL_PROGRESS, type ReadModelProgress } from './tokens.js';

/** How long a read waits for the read models to reach `minPosition` before answering 503. */
export const READ_YOUR_WRITES_TIMEOUT_MS = 2_000;

/**
 * R35, second half: a query given `?minPosition=` (the position a command answered with)
 * answers only once the read models have reached it, so a client always reads its own write;
 * past a bounded wait it answers 503 with Retry-After rather than stale data.
 */
@Injectable()
export class MinPositionInterceptor implements NestInterceptor {
  constructor(@Inject(READ_MODEL_PROGRESS) private readonly progress: ReadModelProgress) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const request = context.switchToHttp().getRequest<Request>();
    const minPosition = request.query.minPosition;
    if (request.method !== 'GET' || minPosition === undefined) return next.handle();
    if (typeof minPosition !== 'string' || !/^\d{1,30}$/.test(minPosition)) {
      throw new BadRequestException({
        code: 'INVALID_MIN_POSITION',
        message: 'minPosition must be a position as returned by a command, e.g. "42".',
      });
    }
    return from(this.progress.waitFor(minPosition, READ_YOUR_WRITES_TIMEOUT_MS)).pipe(
      switchMap((reached) => {
        if (!reached) {
          throw new ApiError(
            503,
            'READ_MODEL_BEHIND',
            `The read models have not reached position ${minPosition} yet; retry shortly.`,
            { minPosition },
            1,
          );
        }
        return next.handle();
      }),
    );
  }
}
