import type { RelayLag } from './publisher-relay.js';

/**
 * How long every publish attempt may fail, while events wait, before the relay counts as
 * failed: the backoff's cap (30 s), so a few attempts at full backoff have failed by then.
 */
export const PUBLISH_STALL_MS = 30_000;

/**
 * Why the relay cannot be counted on, or undefined while it can (ADR 26). It has failed when
 * it stopped on an error it does not retry (an event this release cannot map; only a restart
 * with a release that can resumes it), or when the broker has acknowledged nothing for
 * `stallMs` while a batch waits. The first acknowledged batch clears the second.
 */
export function relayProblem(
  lag: RelayLag,
  stallMs = PUBLISH_STALL_MS,
  now = Date.now(),
): string | undefined {
  if (lag.status === 'failed') {
    return `the publisher stopped at position ${lag.checkpoint} (${lag.lastError}); fix the cause, then restart the service`;
  }
  if (
    lag.status === 'retrying' &&
    lag.pendingEvents > 0 &&
    lag.failingSince !== undefined &&
    now - lag.failingSince >= stallMs
  ) {
    const seconds = Math.round((now - lag.failingSince) / 1000);
    return `the broker has acknowledged nothing for ${seconds} s, ${lag.pendingEvents} events waiting (${lag.lastError}); check KAFKA_BROKERS and the brokers`;
  }
  return undefined;
}
