/**
 * An error that knows its HTTP answer (R38). Application layers throw these for failures that
 * are neither domain refusals nor Nest's own, e.g. a conflict that outlasted its retries or a
 * read model that has not caught up.
 */
export class ApiError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
    readonly details?: Record<string, unknown>,
    /** Seconds a client should wait before retrying (503, 429). */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}
