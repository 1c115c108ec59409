import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { jsonEvent } from '@eventstore/db-client';
import { SqliteEventStore, type EventStore, type RecordedEvent } from '#libs/event-store';
import { UUID } from '#libs/http';
import { CommandExecutor } from '../../apps/command-service/src/infrastructure/command-executor.js';
import { echo, trace, type Emit } from '../support/echo-aggregate.js';

const emit = (...types: string[]): Emit => ({ events: types.map((type) => ({ type, data: {} })) });

/** RFC 9562 §5.7: version 7 in the 13th hex digit, variant 10 in the 17th. */
const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const millisecondsOf = (id: string): number => parseInt(id.replaceAll('-', '').slice(0, 12), 16);

describe('event ids the command side appends (R32, ADR 21)', () => {
  let dir: string;
  let store: EventStore;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'al-event-ids-'));
    store = new SqliteEventStore(join(dir, 'events.sqlite'));
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function stored(): Promise<RecordedEvent[]> {
    const events: RecordedEvent[] = [];
    for await (const event of store.readAll()) events.push(event);
    return events;
  }

  it('R32 every appended event has a UUIDv7 id stamped with the time it was made, in append order', async () => {
    const executor = new CommandExecutor(store, 0);
    const before = Date.now();
    await executor.execute(echo, 'a', emit('A1', 'A2', 'A3'), trace);
    // Concurrent commands on two streams share one group commit.
    await Promise.all([
      executor.execute(echo, 'a', emit('A4'), trace),
      executor.execute(echo, 'b', emit('B1', 'B2'), trace),
    ]);
    const after = Date.now();

    const events = await stored();
    expect(events).toHaveLength(6);
    for (const { id } of events) {
      expect(id).toMatch(UUID_V7);
      expect(millisecondsOf(id)).toBeGreaterThanOrEqual(before);
      expect(millisecondsOf(id)).toBeLessThanOrEqual(after);
    }
    // One process made them in this order, so they sort in the store's global order.
    const ids = events.map((e) => e.id);
    expect([...ids].sort()).toEqual(ids);
  });

  it('R32 the ids pass every check an id meets on its way out: the API UUID check, the EventStoreDB client', async () => {
    const outcome = await new CommandExecutor(store, 0).execute(echo, 'a', emit('A'), trace);
    const [{ id }] = outcome.events;
    // Event ids come back in checks, access changes and the audit log (R31, R34, R39) and are
    // compared with ids the API accepts.
    expect(id).toMatch(UUID);
    // The EventStoreDB adapter hands ids to the client's jsonEvent, which sends them as
    // strings: the uuid@8 it depends on (versions 1–5 only) validates none of them.
    expect(jsonEvent({ id, type: 'A', data: {} }).id).toBe(id);
  });
});
