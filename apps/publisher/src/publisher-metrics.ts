import type { RelayLag } from './publisher-relay.js';

/** The relay's gauges and counters in the Prometheus text format, for `/metrics`. */
export function publisherMetrics(lag: RelayLag): string {
  const metric = (name: string, type: 'gauge' | 'counter', help: string, value: number) =>
    `# HELP ${name} ${help}\n# TYPE ${name} ${type}\n${name} ${value}\n`;
  return [
    metric(
      'access_ledger_publish_lag_positions',
      'gauge',
      'Event-store positions between the head and the last event Kafka acknowledged.',
      lag.positionsBehind,
    ),
    metric(
      'access_ledger_publish_pending_events',
      'gauge',
      'Events read from the store and not yet acknowledged.',
      lag.pendingEvents,
    ),
    metric(
      'access_ledger_published_events_total',
      'counter',
      'Events acknowledged by the broker since start.',
      lag.publishedEvents,
    ),
    metric(
      'access_ledger_publish_failures_total',
      'counter',
      'Publish attempts the broker did not acknowledge.',
      lag.failedAttempts,
    ),
    metric(
      'access_ledger_publisher_up',
      'gauge',
      '1 while the relay publishes or retries, 0 when stopped or failed.',
      lag.status === 'running' || lag.status === 'retrying' ? 1 : 0,
    ),
  ].join('');
}
