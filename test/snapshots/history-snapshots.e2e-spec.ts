import fc from 'fast-check';
import { SqliteEventStore, type EventStore, type RecordedEvent } from '#libs/event-store';
import {
  historySnapshotStream,
  ORGANIZATION_HISTORY_FOLD_VERSION,
  SqliteSnapshotStore,
} from '#libs/snapshots';
import { CommandExecutor } from '../../apps/command-service/src/infrastructure/command-executor.js';
import type { AsOf } from '../../apps/query-service/src/history/as-of.js';
import { OrganizationHistory } from '../../apps/query-service/src/history/organization-history.js';
import {
  createOrganization,
  history,
  newWorld,
  runStep,
  sequence,
} from '../property/command-sequences.js';

/** Lets the background snapshot saves (setImmediate, then the store) finish. */
const settle = () => new Promise((resolve) => setImmediate(resolve));

/**
 * A commit clock one second per commit that sometimes steps back (an NTP correction): the
 * history's by-instant reads stop at the first event past the instant, and a snapshot must
 * only be used where that fold would have got past it too.
 */
function steppingClock(): () => Date {
  let t = Date.UTC(2026, 0, 1);
  let n = 0;
  return () => {
    n++;
    t += n % 7 === 0 ? -2500 : 1000;
    return new Date(t);
  };
}

async function answer(history: OrganizationHistory, organizationId: string, asOf: AsOf) {
  try {
    const past = await history.at(organizationId, asOf, Date.UTC(2030, 0, 1));
    return {
      state: past.state,
      provenance: [...past.provenance.entries()],
      position: past.position,
      time: past.time,
    };
  } catch (error) {
    return { error: (error as { code?: string }).code };
  }
}

describe('the history starts from snapshots (ADR 19)', () => {
  it('R33 an as-of answer is the same with and without snapshots, however the stream is read in chunks', async () => {
    await fc.assert(
      fc.asyncProperty(
        sequence({ minLength: 20, maxLength: 80 }),
        fc.infiniteStream(fc.nat()),
        async (steps, order) => {
          const store: EventStore = new SqliteEventStore(':memory:', { now: steppingClock() });
          const snapshotStore = new SqliteSnapshotStore(':memory:');
          try {
            const world = newWorld();
            const executor = new CommandExecutor(store, 0);
            await createOrganization(executor, world);
            for (const s of steps) await runStep(executor, world, s);
            const events: RecordedEvent[] = await history(store);
            const points: AsOf[] = events.flatMap((event) => [
              { kind: 'position' as const, position: event.position },
              { kind: 'time' as const, time: Date.parse(event.recordedAt) },
              { kind: 'time' as const, time: Date.parse(event.recordedAt) - 1 },
            ]);
            points.push({ kind: 'time', time: Date.parse(events[0].recordedAt) - 60_000 });
            // Asked in a random order, so that snapshots are made at many points before others.
            const iterator = order[Symbol.iterator]();
            const shuffled = points
              .map((point) => ({ point, key: iterator.next().value as number }))
              .sort((a, b) => a.key - b.key)
              .map(({ point }) => point);

            const without = new OrganizationHistory(store);
            const withSnapshots = new OrganizationHistory(store, {
              store: snapshotStore,
              every: 3,
            });
            // Reading two events at a time crosses every chunk boundary of a small history.
            const chunked = new OrganizationHistory(store, undefined, 2);
            const chunkedWithSnapshots = new OrganizationHistory(
              store,
              { store: snapshotStore, every: 3 },
              2,
            );
            for (const point of shuffled) {
              const expected = await answer(without, world.organizationId, point);
              expect(await answer(withSnapshots, world.organizationId, point)).toEqual(expected);
              expect(await answer(chunked, world.organizationId, point)).toEqual(expected);
              expect(await answer(chunkedWithSnapshots, world.organizationId, point)).toEqual(
                expected,
              );
              await settle();
            }
            // And the snapshots were there to be used.
            const stream = historySnapshotStream(`organization-${world.organizationId}`);
            expect(
              await snapshotStore.latest(stream, {
                foldVersion: ORGANIZATION_HISTORY_FOLD_VERSION,
              }),
            ).toBeDefined();
          } finally {
            await store.close();
            await snapshotStore.close();
          }
        },
      ),
      { numRuns: 8 },
    );
  });
});
