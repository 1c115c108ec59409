import { Counter, Gauge, type Registry } from 'prom-client';
import type { PublisherRelay, RelayLag } from './publisher-relay.js';

/**
 * Registers the relay's gauges and counters on `registry`, read from the relay at scrape time:
 * apps/publisher and the standalone app (which runs the relay in process) show the same series.
 */
export function registerPublisherMetrics(
  registry: Registry,
  relay: Pick<PublisherRelay, 'lag'>,
): void {
  // A scrape collects every series at once: they share one read of the lag (and of the head).
  let reading: Promise<RelayLag> | undefined;
  const lag = () =>
    (reading ??= relay.lag().finally(() => {
      reading = undefined;
    }));
  const gauge = (name: string, help: string, value: (lag: RelayLag) => number) =>
    new Gauge({
      name,
      help,
      registers: [registry],
      async collect() {
        this.set(value(await lag()));
      },
    });
  const counter = (name: string, help: string, value: (lag: RelayLag) => number) =>
    new Counter({
      name,
      help,
      registers: [registry],
      async collect() {
        const total = value(await lag());
        this.reset();
        this.inc(total);
      },
    });

  gauge(
    'access_ledger_publish_lag_positions',
    'Event-store positions between the head and the last event Kafka acknowledged.',
    (lag) => lag.positionsBehind,
  );
  gauge(
    'access_ledger_publish_pending_events',
    'Events read from the store and not yet acknowledged.',
    (lag) => lag.pendingEvents,
  );
  counter(
    'access_ledger_published_events_total',
    'Events acknowledged by the broker since start.',
    (lag) => lag.publishedEvents,
  );
  counter(
    'access_ledger_publish_failures_total',
    'Publish attempts the broker did not acknowledge.',
    (lag) => lag.failedAttempts,
  );
  gauge(
    'access_ledger_publisher_up',
    '1 while the relay publishes or retries, 0 when stopped or failed.',
    (lag) => (lag.status === 'running' || lag.status === 'retrying' ? 1 : 0),
  );
}
