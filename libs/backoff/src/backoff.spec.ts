import { backoffDelay, sleep } from '#libs/backoff';

describe('backoff', () => {
  it('doubles from the initial delay up to the cap, exactly without jitter', () => {
    const delays = [1, 2, 3, 4, 5].map((n) => backoffDelay(n, { initialMs: 2, maxMs: 10 }));
    expect(delays).toEqual([2, 4, 8, 10, 10]);
  });

  it('stays within the jitter band', () => {
    for (let i = 0; i < 100; i++) {
      const delay = backoffDelay(3, { initialMs: 100, maxMs: 10_000, jitter: 0.25 });
      expect(delay).toBeGreaterThanOrEqual(300);
      expect(delay).toBeLessThanOrEqual(500);
    }
  });

  it('a sleep ends at once when aborted', async () => {
    const abort = new AbortController();
    const started = Date.now();
    const slept = sleep(10_000, abort.signal);
    abort.abort();
    await slept;
    expect(Date.now() - started).toBeLessThan(1_000);
  });
});
