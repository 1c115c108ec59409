import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore, type EventStore, type RecordedEvent } from '#libs/event-store';
import { CommandExecutor } from '../../apps/command-service/src/infrastructure/command-executor.js';
import { echo, trace } from '../support/echo-aggregate.js';

describe('causation ids of a decision (R32)', () => {
  let store: EventStore;
  beforeEach(() => {
    store = new SqliteEventStore(join(mkdtempSync(join(tmpdir(), 'al-cause-')), 'events.sqlite'));
  });
  afterEach(() => store.close());

  async function stored(): Promise<RecordedEvent[]> {
    const events: RecordedEvent[] = [];
    for await (const event of store.readAll()) events.push(event);
    return events;
  }

  it('R11 R32 an event with causedBy is caused by that event of its decision; the others by the request', async () => {
    const outcome = await new CommandExecutor(store, 0).execute(
      echo,
      'a',
      {
        events: [
          { type: 'Cause', data: {} },
          { type: 'Effect', data: {}, causedBy: 0 },
          { type: 'Unrelated', data: {} },
          { type: 'EffectOfEffect', data: {}, causedBy: 1 },
        ],
      },
      trace,
    );
    const [cause, effect, unrelated, second] = await stored();
    expect(outcome.events.map((e) => e.id)).toEqual([cause.id, effect.id, unrelated.id, second.id]);
    expect(cause.metadata.causationId).toBe('request-1');
    expect(effect.metadata.causationId).toBe(cause.id);
    expect(unrelated.metadata.causationId).toBe('request-1');
    expect(second.metadata.causationId).toBe(effect.id);
    // causedBy is bookkeeping of the decision, not part of the event's payload.
    expect(effect.data).toEqual({});
  });

  it.each([
    ['itself', 0],
    ['a later event', 1],
    ['no event', 7],
    ['a negative index', -1],
  ])('R32 a causedBy naming %s is a decider bug: thrown, nothing appended', async (_, causedBy) => {
    const send = new CommandExecutor(store, 0).execute(
      echo,
      'a',
      {
        events: [
          { type: 'Cause', data: {}, causedBy },
          { type: 'Effect', data: {} },
        ],
      },
      trace,
    );
    await expect(send).rejects.toThrow(TypeError);
    expect(await stored()).toEqual([]);
  });
});
