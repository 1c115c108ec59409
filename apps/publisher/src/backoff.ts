export interface BackoffOptions {
  initialMs: number;
  maxMs: number;
  factor: number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { initialMs: 100, maxMs: 30_000, factor: 2 };

/** The wait before attempt `failures + 1`: exponential, capped. */
export function backoffDelay(failures: number, options: BackoffOptions): number {
  return Math.min(options.maxMs, options.initialMs * options.factor ** Math.max(0, failures - 1));
}

/** A sleep that `cancel` cuts short, so stopping the relay never waits out a long backoff. */
export function cancellableSleep(ms: number): { done: Promise<void>; cancel: () => void } {
  let cancel!: () => void;
  const done = new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    cancel = () => {
      clearTimeout(timer);
      resolve();
    };
  });
  return { done, cancel };
}
