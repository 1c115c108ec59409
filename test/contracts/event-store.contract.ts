import { randomUUID } from 'node:crypto';
import {
  type EventStore,
  newEventId,
  type NewEvent,
  type RecordedEvent,
  START,
  comparePositions,
  WrongExpectedRevisionError,
} from '#libs/event-store';

/**
 * The EventStore contract: every adapter must pass it. It runs against a shared server too, so
 * every test uses fresh stream names, reads $all only after a position it took itself, and
 * ignores events of streams it did not create.
 */
export interface EventStoreContractOptions {
  /** True when each factory call gives an empty store (so "empty store" facts can be tested). */
  isolated: boolean;
}

export function eventStoreContract(
  name: string,
  factory: () => EventStore | Promise<EventStore>,
  options: EventStoreContractOptions,
): void {
  describe(`EventStore contract: ${name}`, () => {
    let store: EventStore;

    beforeEach(async () => {
      store = await factory();
    });

    afterEach(async () => {
      await store.close();
    });

    describe('append and readStream', () => {
      it('reads back what was appended, with data, metadata, stream, revisions, positions and time', async () => {
        const stream = streamName();
        const events = [
          newEvent('ThingCreated', { n: 1, nested: { a: [1, 2] } }),
          newEvent('ThingRenamed', { n: 2 }),
        ];

        const result = await store.append(stream, events, 'no_stream');
        const read = await store.readStream(stream);

        expect(read.map(({ id, type, data, metadata }) => ({ id, type, data, metadata }))).toEqual(
          events,
        );
        expect(read.map((e) => e.stream)).toEqual([stream, stream]);
        expect(read.map((e) => e.revision)).toEqual([0, 1]);
        expect(comparePositions(read[0].position, read[1].position)).toBe(-1);
        expect(comparePositions(START, read[0].position)).toBe(-1);
        expect(result).toEqual({ revision: 1, position: read[1].position });
        for (const event of read) {
          expect(event.position).toMatch(/^\d+$/);
          expect(new Date(event.recordedAt).toISOString()).toBe(event.recordedAt);
        }
      });

      it('continues revisions across appends and reads from a given revision', async () => {
        const stream = streamName();
        await store.append(stream, [newEvent('A'), newEvent('B')], 'no_stream');
        const second = await store.append(stream, [newEvent('C')], 1);

        expect(second.revision).toBe(2);
        expect((await store.readStream(stream)).map((e) => e.type)).toEqual(['A', 'B', 'C']);
        expect((await store.readStream(stream, 1)).map((e) => [e.type, e.revision])).toEqual([
          ['B', 1],
          ['C', 2],
        ]);
      });

      it('reads at most maxCount events of a stream from a given revision', async () => {
        const stream = streamName();
        await store.append(stream, [newEvent('A'), newEvent('B'), newEvent('C')], 'no_stream');
        expect((await store.readStream(stream, 1, 1)).map((e) => e.type)).toEqual(['B']);
        expect((await store.readStream(stream, 0, 2)).map((e) => e.type)).toEqual(['A', 'B']);
        expect((await store.readStream(stream, 2, 10)).map((e) => e.type)).toEqual(['C']);
        expect(await store.readStream(stream, 3, 10)).toEqual([]);
      });

      it('reads an unknown stream as empty', async () => {
        await expect(store.readStream(streamName())).resolves.toEqual([]);
      });

      it('refuses an empty batch', async () => {
        await expect(store.append(streamName(), [], 'any')).rejects.toThrow(TypeError);
      });
    });

    describe('expected revision', () => {
      it("refuses 'no_stream' on an existing stream, naming its revision, and appends nothing", async () => {
        const stream = streamName();
        await store.append(stream, [newEvent('A')], 'no_stream');

        const error = await store
          .append(stream, [newEvent('B')], 'no_stream')
          .catch((e: unknown) => e);

        expect(error).toBeInstanceOf(WrongExpectedRevisionError);
        expect(error).toMatchObject({
          code: 'WRONG_EXPECTED_REVISION',
          stream,
          expected: 'no_stream',
          actual: 0,
        });
        expect((await store.readStream(stream)).map((e) => e.type)).toEqual(['A']);
      });

      it('refuses a stale revision and appends nothing', async () => {
        const stream = streamName();
        await store.append(stream, [newEvent('A'), newEvent('B')], 'no_stream');

        const error = await store.append(stream, [newEvent('C')], 0).catch((e: unknown) => e);

        expect(error).toBeInstanceOf(WrongExpectedRevisionError);
        expect(error).toMatchObject({ stream, expected: 0, actual: 1 });
        expect((await store.readStream(stream)).map((e) => e.type)).toEqual(['A', 'B']);
      });

      it('refuses a revision on a stream that does not exist, and does not create it', async () => {
        const stream = streamName();

        const error = await store.append(stream, [newEvent('A')], 0).catch((e: unknown) => e);

        expect(error).toBeInstanceOf(WrongExpectedRevisionError);
        expect(error).toMatchObject({ stream, expected: 0, actual: 'no_stream' });
        await expect(store.readStream(stream)).resolves.toEqual([]);
      });

      it("appends with 'any' whether or not the stream exists", async () => {
        const stream = streamName();
        const first = await store.append(stream, [newEvent('A')], 'any');
        const second = await store.append(stream, [newEvent('B')], 'any');

        expect([first.revision, second.revision]).toEqual([0, 1]);
        expect((await store.readStream(stream)).map((e) => e.type)).toEqual(['A', 'B']);
      });
    });

    describe('deduplication by event id', () => {
      it('returns the original result and appends nothing when a batch is sent again', async () => {
        const stream = streamName();
        await store.append(stream, [newEvent('A')], 'no_stream');
        const batch = [newEvent('B'), newEvent('C')];
        const original = await store.append(stream, batch, 0);

        const retried = await store.append(stream, batch, 0);

        expect(retried).toEqual(original);
        expect((await store.readStream(stream)).map((e) => e.type)).toEqual(['A', 'B', 'C']);
      });

      it('refuses a batch mixing stored and new ids as a conflict, and appends nothing', async () => {
        const stream = streamName();
        const stored = newEvent('A');
        await store.append(stream, [stored], 'no_stream');

        const error = await store
          .append(stream, [stored, newEvent('B')], 'no_stream')
          .catch((e: unknown) => e);

        expect(error).toBeInstanceOf(WrongExpectedRevisionError);
        expect((await store.readStream(stream)).map((e) => e.id)).toEqual([stored.id]);
      });
    });

    describe('readAll', () => {
      it('reads every stream in global order, after an exclusive position, up to maxCount', async () => {
        const from = await store.headPosition();
        const [s1, s2] = [streamName(), streamName()];
        await store.append(s1, [newEvent('A1'), newEvent('A2')], 'no_stream');
        await store.append(s2, [newEvent('B1')], 'no_stream');
        await store.append(s1, [newEvent('A3')], 1);

        const all = ours(await collect(store.readAll({ from })), s1, s2);
        expect(all.map((e) => e.type)).toEqual(['A1', 'A2', 'B1', 'A3']);
        expect(isStrictlyIncreasing(all.map((e) => e.position))).toBe(true);

        const afterSecond = ours(await collect(store.readAll({ from: all[1].position })), s1, s2);
        expect(afterSecond.map((e) => e.type)).toEqual(['B1', 'A3']);

        const two = await collect(store.readAll({ from, maxCount: 2 }));
        expect(two).toHaveLength(2);
        if (options.isolated) expect(two.map((e) => e.type)).toEqual(['A1', 'A2']);
      });

      it('reads nothing after the head position', async () => {
        await store.append(streamName(), [newEvent('A')], 'no_stream');
        const head = await store.headPosition();
        const after = await collect(store.readAll({ from: head, maxCount: 10 }));
        if (options.isolated) expect(after).toEqual([]);
        expect(after.every((e) => comparePositions(e.position, head) > 0)).toBe(true);
      });

      if (options.isolated) {
        it('reads everything from START by default', async () => {
          await store.append(streamName(), [newEvent('A'), newEvent('B')], 'no_stream');
          expect((await collect(store.readAll())).map((e) => e.type)).toEqual(['A', 'B']);
        });
      }
    });

    describe('headPosition', () => {
      if (options.isolated) {
        it('is START in an empty store', async () => {
          await expect(store.headPosition()).resolves.toBe(START);
        });
      }

      it('is the position of the last event appended', async () => {
        const result = await store.append(
          streamName(),
          [newEvent('A'), newEvent('B')],
          'no_stream',
        );
        await expect(store.headPosition()).resolves.toBe(result.position);
      });
    });

    describe('subscribe', () => {
      it('delivers catch-up events after the exclusive position, then live events, in order', async () => {
        const stream = streamName();
        const first = await store.append(stream, [newEvent('E0')], 'no_stream');
        await store.append(stream, [newEvent('E1')], 0);
        const received = recorder(stream);

        const subscription = store.subscribe({ from: first.position }, received.handler);
        await received.until(1);
        await store.append(stream, [newEvent('E2'), newEvent('E3')], 1);
        await received.until(3);
        await subscription.close();

        expect(received.events.map((e) => e.type)).toEqual(['E1', 'E2', 'E3']);
        expect(isStrictlyIncreasing(received.events.map((e) => e.position))).toBe(true);
      });

      it('delivers nothing more once closed', async () => {
        const stream = streamName();
        const from = await store.headPosition();
        const received = recorder(stream);
        const subscription = store.subscribe({ from }, received.handler);
        await store.append(stream, [newEvent('A')], 'no_stream');
        await received.until(1);

        await subscription.close();
        await store.append(stream, [newEvent('B')], 0);
        await sleep(300);

        expect(received.events.map((e) => e.type)).toEqual(['A']);
      });

      it('stops and reports the error when the handler rejects', async () => {
        const stream = streamName();
        const from = await store.headPosition();
        await store.append(stream, [newEvent('A'), newEvent('B')], 'no_stream');
        const seen: string[] = [];
        const failure = new Error('handler failed');
        const reported = new Promise<unknown>((resolve) => {
          store.subscribe(
            { from },
            async (event) => {
              if (event.stream !== stream) return;
              seen.push(event.type);
              throw failure;
            },
            resolve,
          );
        });

        await expect(reported).resolves.toBe(failure);
        await store.append(stream, [newEvent('C')], 1);
        await sleep(300);
        expect(seen).toEqual(['A']);
      });
    });

    describe('concurrency', () => {
      it('lets exactly one of several concurrent appends with the same expected revision win', async () => {
        const stream = streamName();
        await store.append(stream, [newEvent('Start')], 'no_stream');

        const attempts = Array.from({ length: 8 }, (_, i) =>
          store.append(stream, [newEvent(`Try${i}`)], 0),
        );
        const outcomes = await Promise.allSettled(attempts);

        const won = outcomes.filter((o) => o.status === 'fulfilled');
        const lost = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
        expect(won).toHaveLength(1);
        expect(lost.every((o) => o.reason instanceof WrongExpectedRevisionError)).toBe(true);
        const read = await store.readStream(stream);
        expect(read).toHaveLength(2);
        expect(read[1].type).toBe(`Try${outcomes.findIndex((o) => o.status === 'fulfilled')}`);
      });

      it('commits concurrent appends to different streams, each with its own revision', async () => {
        const streams = Array.from({ length: 20 }, () => streamName());
        const results = await Promise.all(
          streams.map((s) => store.append(s, [newEvent('A')], 'no_stream')),
        );

        expect(results.map((r) => r.revision)).toEqual(streams.map(() => 0));
        expect(new Set(results.map((r) => r.position)).size).toBe(streams.length);
        for (const s of streams) expect(await store.readStream(s)).toHaveLength(1);
      });

      it('fails a conflicting append alone among concurrent ones', async () => {
        const [a, b, c] = [streamName(), streamName(), streamName()];
        await store.append(b, [newEvent('B0')], 'no_stream');

        const outcomes = await Promise.allSettled([
          store.append(a, [newEvent('A0')], 'no_stream'),
          store.append(b, [newEvent('B1')], 5),
          store.append(c, [newEvent('C0')], 'no_stream'),
        ]);

        expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
        expect((await store.readStream(a)).map((e) => e.type)).toEqual(['A0']);
        expect((await store.readStream(b)).map((e) => e.type)).toEqual(['B0']);
        expect((await store.readStream(c)).map((e) => e.type)).toEqual(['C0']);
      });
    });
  });
}

export function streamName(): string {
  return `contract-${randomUUID()}`;
}

export function newEvent(type: string, data: Record<string, unknown> = {}): NewEvent {
  const organizationId = 'org-contract';
  return {
    // The ids the command side makes (UUIDv7, ADR 21): run on EventStoreDB, the suite shows
    // the server takes and returns them unchanged.
    id: newEventId(),
    type,
    data,
    metadata: {
      organizationId,
      schemaVersion: 1,
      actor: { type: 'user', id: 'user-1' },
      correlationId: randomUUID(),
      causationId: randomUUID(),
    },
  };
}

export async function collect(events: AsyncIterable<RecordedEvent>): Promise<RecordedEvent[]> {
  const all: RecordedEvent[] = [];
  for await (const event of events) all.push(event);
  return all;
}

function ours(events: RecordedEvent[], ...streams: string[]): RecordedEvent[] {
  return events.filter((e) => streams.includes(e.stream));
}

function isStrictlyIncreasing(positions: string[]): boolean {
  return positions.every((p, i) => i === 0 || comparePositions(positions[i - 1], p) < 0);
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Collects a subscription's events of one stream and waits until enough have arrived. */
export function recorder(stream: string) {
  const events: RecordedEvent[] = [];
  let check = () => {};
  return {
    events,
    handler: (event: RecordedEvent) => {
      if (event.stream !== stream) return;
      events.push(event);
      check();
    },
    until: (count: number, timeoutMs = 5000) =>
      new Promise<void>((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`expected ${count} events, got ${events.length}`)),
          timeoutMs,
        );
        check = () => {
          if (events.length >= count) {
            clearTimeout(timer);
            resolve();
          }
        };
        check();
      }),
  };
}
