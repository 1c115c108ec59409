/**
 * Retry delays for the long-running subscribers (projector, publisher relay) when a store or
 * a broker fails: doubling from `initialMs`, capped at `maxMs`.
 */
export interface BackoffOptions {
  initialMs: number;
  maxMs: number;
  /**
   * Randomness around each delay, as a fraction (0.25 = ±25%), so that several processes that
   * lost the same server do not retry in lockstep. 0 or absent: exact delays.
   */
  jitter?: number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { initialMs: 100, maxMs: 30_000, jitter: 0.25 };

/** The delay before attempt `failures + 1`, after `failures` consecutive failures (≥ 1). */
export function backoffDelay(
  failures: number,
  { initialMs, maxMs, jitter = 0 }: BackoffOptions,
): number {
  const base = Math.min(maxMs, initialMs * 2 ** Math.min(Math.max(0, failures - 1), 30));
  return jitter > 0 ? Math.round(base * (1 - jitter + Math.random() * 2 * jitter)) : base;
}

/** Resolves after `ms`, or at once when `signal` fires (so stopping never waits out a backoff). */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done);
  });
}
