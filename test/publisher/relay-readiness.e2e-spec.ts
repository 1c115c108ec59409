import { randomUUID } from 'node:crypto';
import type { SqliteEventStore } from '#libs/event-store';
import { InMemoryCheckpointStore } from '../../apps/publisher/src/checkpoint-store.js';
import { InMemoryPublisher } from '../../apps/publisher/src/in-memory-publisher.js';
import { PublisherRelay } from '../../apps/publisher/src/publisher-relay.js';
import { PUBLISH_STALL_MS, relayProblem } from '../../apps/publisher/src/relay-readiness.js';
import { Commands, openStore, tempDir } from './support.js';

const FAST = { initialMs: 1, maxMs: 8 };

async function eventually(condition: () => Promise<boolean> | boolean): Promise<void> {
  for (let attempt = 0; !(await condition()); attempt++) {
    if (attempt > 1_000) throw new Error('Condition not met after 1,000 attempts.');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** When the relay counts as failed for readiness (ADR 26). */
describe('relayProblem', () => {
  let store: SqliteEventStore;
  let commands: Commands;
  beforeEach(() => {
    store = openStore(tempDir());
    commands = new Commands(store);
  });
  afterEach(() => store.close());

  it('reports a broker that acknowledged nothing for the bound while events wait, and clears at the first acknowledged batch', async () => {
    const head = await commands.everyEventType(randomUUID());
    const broker = new InMemoryPublisher();
    broker.failNext(Number.POSITIVE_INFINITY);
    const relay = new PublisherRelay(store, broker, new InMemoryCheckpointStore(), {
      backoff: FAST,
    });
    await relay.start();
    expect(relayProblem(await relay.lag())).toBeUndefined();
    await eventually(async () => (await relay.lag()).failedAttempts >= 2);

    const lag = await relay.lag();
    const failingSince = lag.failingSince!;
    expect(lag.status).toBe('retrying');
    expect(relayProblem(lag, PUBLISH_STALL_MS, failingSince + PUBLISH_STALL_MS - 1)).toBe(
      undefined,
    );
    expect(relayProblem(lag, PUBLISH_STALL_MS, failingSince + PUBLISH_STALL_MS)).toMatch(
      /^the broker has acknowledged nothing for 30 s, \d+ events waiting \(The in-memory broker is down \(simulated outage\)\.\); check KAFKA_BROKERS and the brokers$/,
    );
    // Later failures of the same outage do not restart the clock.
    await eventually(async () => (await relay.lag()).failedAttempts >= 4);
    expect((await relay.lag()).failingSince).toBe(failingSince);

    broker.failNext(0);
    await relay.waitFor(head);
    const recovered = await relay.lag();
    expect(recovered.failingSince).toBeUndefined();
    expect(relayProblem(recovered, 0)).toBeUndefined();
    await relay.stop();
  });

  it('reports a relay stopped by an error it does not retry, with the error', async () => {
    await commands.everyEventType(randomUUID());
    const relay = new PublisherRelay(
      store,
      new InMemoryPublisher(),
      new InMemoryCheckpointStore(),
      {
        toEnvelope: () => {
          throw new Error('No envelope for this event type.');
        },
      },
    );
    await relay.start();
    await eventually(() => relay.status === 'failed');
    expect(relayProblem(await relay.lag())).toBe(
      'the publisher stopped at position 0 (No envelope for this event type.); fix the cause, then restart the service',
    );
    await relay.stop();
  });

  it('does not report a caught-up relay, whatever the bound', async () => {
    const head = await commands.everyEventType(randomUUID());
    const relay = new PublisherRelay(store, new InMemoryPublisher(), new InMemoryCheckpointStore());
    await relay.start();
    await relay.waitFor(head);
    expect(relayProblem(await relay.lag(), 0)).toBeUndefined();
    await relay.stop();
  });
});
