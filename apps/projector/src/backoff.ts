/** Retry delays for a failing store: doubling from `initialMs`, capped at `maxMs`, with jitter. */
export interface BackoffOptions {
  initialMs: number;
  maxMs: number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { initialMs: 100, maxMs: 30_000 };

/**
 * The delay before attempt `attempt + 1`. Jitter (±25%) keeps several projectors that lost the
 * same database from retrying in lockstep.
 */
export function backoffDelay(attempt: number, { initialMs, maxMs }: BackoffOptions): number {
  const base = Math.min(maxMs, initialMs * 2 ** Math.min(attempt - 1, 30));
  return Math.round(base * (0.75 + Math.random() * 0.5));
}

/** Resolves after `ms`, or at once when `signal` fires (so stop() never waits out a backoff). */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done);
  });
}
