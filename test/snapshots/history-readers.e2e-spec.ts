import fc from 'fast-check';
import { DomainError, type DomainEvent } from '#libs/domain';
import { SqliteEventStore, type EventStore, type RecordedEvent } from '#libs/event-store';
import { ApiError } from '#libs/http';
import {
  historySnapshotStream,
  ORGANIZATION_HISTORY_FOLD_VERSION,
  SqliteSnapshotStore,
  type SnapshotStore,
} from '#libs/snapshots';
import type { AggregateType } from '../../apps/command-service/src/infrastructure/aggregate-store.js';
import {
  CommandExecutor,
  type CommandTrace,
} from '../../apps/command-service/src/infrastructure/command-executor.js';
import { AccessChangesService } from '../../apps/query-service/src/access-changes/access-changes.service.js';
import type { AuditEntry } from '../../apps/query-service/src/audit/audit-entry.js';
import { AuditLog } from '../../apps/query-service/src/audit/audit-log.service.js';
import type { AuditFilter } from '../../apps/query-service/src/audit/audit-query.js';
import type { AsOf } from '../../apps/query-service/src/history/as-of.js';
import { OrganizationHistory } from '../../apps/query-service/src/history/organization-history.js';
import type { ReadAccess } from '../../apps/query-service/src/read-access.js';
import {
  createOrganization,
  history,
  newWorld,
  runStep,
  sequence,
  step,
  type Step,
  type World,
} from '../property/command-sequences.js';

/*
 * The history's other readers (R34's audit log, R39's access changes) start from the history
 * (R33: the newest snapshot, then the events after it) and read the stream after that point a
 * chunk at a time. Whatever the snapshots and the chunk size, they answer as the fold from the
 * first event does — the audit log's oracle is support's log across organizations, which still
 * folds every organization from its first event.
 */

/** Lets the background snapshot saves (setImmediate, then the store) finish. */
const settle = async () => {
  for (let i = 0; i < 3; i++) await new Promise((resolve) => setImmediate(resolve));
};

/** One second per commit, sometimes stepping back (an NTP correction), as history-snapshots. */
function steppingClock(): () => Date {
  let t = Date.UTC(2026, 0, 1);
  let n = 0;
  return () => {
    n++;
    t += n % 7 === 0 ? -2500 : 1000;
    return new Date(t);
  };
}

/**
 * The command path with a correlation id per command, as HTTP requests get one — except when
 * `reuse()` says so: a caller passing the same X-Correlation-Id for a chain of requests, whose
 * appends then read as one run of the same correlation id.
 */
class CorrelatingExecutor extends CommandExecutor {
  private correlation = 0;

  constructor(
    store: EventStore,
    private readonly reuse: () => boolean,
  ) {
    super(store, 0);
  }

  override execute<C, E extends DomainEvent, S>(
    type: AggregateType<C, E, S>,
    id: string,
    command: C,
    trace: CommandTrace,
  ) {
    if (!this.reuse()) this.correlation++;
    const correlationId = `request-${this.correlation}`;
    return super.execute(type, id, command, {
      ...trace,
      correlationId,
      causationId: correlationId,
    });
  }
}

interface Variant {
  name: string;
  history: OrganizationHistory;
  log: AuditLog;
  changes: AccessChangesService;
}

/** No snapshots and the default chunk; snapshots every 3 events; chunks of 1 and 2 events. */
function variants(store: EventStore, snapshots: SnapshotStore): Variant[] {
  const make = (name: string, every: number | undefined, chunk: number | undefined): Variant => {
    const history = new OrganizationHistory(
      store,
      every === undefined ? undefined : { store: snapshots, every },
      chunk,
    );
    return {
      name,
      history,
      // Pages are not authorized here: ReadAccess is never asked.
      log: new AuditLog(store, {} as ReadAccess, history, chunk),
      changes: new AccessChangesService(store, history),
    };
  };
  return [
    make('without snapshots', undefined, undefined),
    make('snapshots', 3, undefined),
    make('chunks of 2', undefined, 2),
    make('snapshots, chunks of 1', 1, 1),
    make('snapshots, chunks of 2', 3, 2),
  ];
}

async function collect(entries: AsyncGenerator<AuditEntry>): Promise<AuditEntry[]> {
  const all: AuditEntry[] = [];
  for await (const entry of entries) all.push(entry);
  return all;
}

/** A random order of `items`, drawn from `order`. */
function shuffle<T>(items: T[], order: Iterable<number>): T[] {
  const iterator = order[Symbol.iterator]();
  return items
    .map((item) => ({ item, key: iterator.next().value as number }))
    .sort((a, b) => a.key - b.key)
    .map(({ item }) => item);
}

async function outcome<T>(read: () => Promise<T>): Promise<T | { error: string }> {
  try {
    return await read();
  } catch (error) {
    if (error instanceof ApiError || error instanceof DomainError) return { error: error.code };
    throw error;
  }
}

/** Index of the last event of the prefix at or before the point (-1: none), as R33 folds. */
const lastReached = (events: RecordedEvent[], point: AsOf): number => {
  let index = -1;
  for (const [i, e] of events.entries()) {
    const reached =
      point.kind === 'position'
        ? BigInt(e.position) <= BigInt(point.position)
        : Date.parse(e.recordedAt) <= point.time;
    if (!reached) break;
    index = i;
  }
  return index;
};

interface Played {
  world: World;
  store: SqliteEventStore;
  snapshots: SqliteSnapshotStore;
  events: RecordedEvent[];
}

async function play(steps: Step[], reuse: () => boolean): Promise<Played> {
  const store = new SqliteEventStore(':memory:', { now: steppingClock() });
  const snapshots = new SqliteSnapshotStore(':memory:');
  const world = newWorld();
  const executor = new CorrelatingExecutor(store, reuse);
  await createOrganization(executor, world);
  for (const s of steps) await runStep(executor, world, s);
  return { world, store, snapshots, events: await history(store) };
}

describe('the audit log and access changes start from the history (ADR 19)', () => {
  it('R34 audit pages are the same with and without snapshots and across read chunks, from any cursor and bounds', async () => {
    await fc.assert(
      fc.asyncProperty(
        sequence({ minLength: 10, maxLength: 60 }),
        // 0: the next command reuses the previous one's correlation id.
        fc.infiniteStream(fc.nat(4)),
        fc.infiniteStream(fc.nat()),
        fc.integer({ min: 1, max: 6 }),
        async (steps, correlations, order, limit) => {
          const reusing = correlations[Symbol.iterator]();
          const { world, store, snapshots, events } = await play(
            steps,
            () => reusing.next().value === 0,
          );
          try {
            const organizationId = world.organizationId;
            const readers = variants(store, snapshots);
            // The oracle: support's log, one fold from the first event.
            const all = await collect(readers[0].log.allEntries({}));
            expect(all.map((e) => e.eventId)).toEqual(events.map((e) => e.id));

            const cursors = shuffle([undefined, '0', ...events.map((e) => e.position)], order);
            for (const cursor of cursors) {
              const after = all.filter(
                (e) => cursor === undefined || BigInt(e.position) > BigInt(cursor),
              );
              const expected = {
                items: after.slice(0, limit),
                nextCursor: after.length > limit ? after[limit - 1].position : null,
              };
              for (const { name, log } of readers) {
                const page = await log.page(organizationId, { filter: {}, limit, after: cursor });
                expect({ name, cursor, page }).toEqual({ name, cursor, page: expected });
              }
              await settle();
            }

            // Bounds by position and by time (inclusive), with and without a cursor.
            const bounds = shuffle(events, order).slice(0, 6);
            for (const [i, event] of bounds.entries()) {
              const other = bounds[(i + 1) % bounds.length];
              const byTime = i % 2 === 1;
              const filter: AuditFilter = byTime
                ? {
                    from: { kind: 'time', time: Date.parse(event.recordedAt) },
                    to: { kind: 'time', time: Date.parse(other.recordedAt) + 1500 },
                  }
                : { from: { kind: 'position', position: event.position } };
              const cursor = i % 3 === 2 ? other.position : undefined;
              const expected = all.filter(
                (e) =>
                  (cursor === undefined || BigInt(e.position) > BigInt(cursor)) &&
                  (byTime
                    ? Date.parse(e.time) >= Date.parse(event.recordedAt) &&
                      Date.parse(e.time) <= Date.parse(other.recordedAt) + 1500
                    : BigInt(e.position) >= BigInt(event.position)),
              );
              for (const { name, log } of readers) {
                const got = await collect(log.entries(organizationId, filter, cursor));
                expect({ name, filter, cursor, got }).toEqual({
                  name,
                  filter,
                  cursor,
                  got: expected,
                });
              }
              await settle();
            }
          } finally {
            await store.close();
            await snapshots.close();
          }
        },
      ),
      { numRuns: 12 },
    );
  }, 120_000);

  it('R34 a page whose cursor falls inside a cascade names its cause, from a snapshot taken inside that append', async () => {
    const base: Step = fc.sample(step, { numRuns: 1, seed: 1 })[0];
    const s = (kind: Step['kind'], fields: Partial<Step> = {}): Step => ({
      ...base,
      actor: 0,
      user: 1,
      group: 0,
      workspace: 0,
      project: 0,
      principalIsGroup: false,
      claims: [],
      ...fields,
      kind,
    });
    const steps: Step[] = [
      s('InviteMember', { orgRole: 1 }),
      s('SignIn', { actor: 1 }),
      s('CreateGroup'),
      s('AddGroupMembers'),
      s('CreateWorkspace', { workspaceRole: 'editor' }),
      s('CreateProject'),
      s('AddProjectMember', { projectRole: 'user' }),
      s('RemoveMember'),
      s('CreateGroup', { group: 1 }),
    ];
    const { world, store, snapshots, events } = await play(steps, () => false);
    try {
      const removal = events.find((e) => e.type === 'MemberRemoved')!;
      const cascade = events.filter((e) => e.metadata.causationId === removal.id);
      // Out of the group, the workspace, Default (R9) and the project: one append.
      expect(cascade.map((e) => e.type).sort()).toEqual([
        'GroupMemberRemoved',
        'ProjectMembersRemoved',
        'WorkspacePrincipalRemoved',
        'WorkspacePrincipalRemoved',
      ]);
      // The invitation's own cascade (R9, Default): no removal before the cursor, so the fold
      // starts at the cursor itself and is told the invitation's id.
      const invitation = events.find((e) => e.type === 'MemberInvited')!;
      const joined = events.find((e) => e.metadata.causationId === invitation.id)!;
      expect(joined.type).toBe('WorkspacePrincipalAdded');
      const email = world.users[1].email;
      const oracle = new AuditLog(store, {} as ReadAccess, new OrganizationHistory(store));
      const all = await collect(oracle.allEntries({}));
      // A snapshot point at every event (every: 1 on a short stream), read two events at a
      // time; reading every position in order leaves a snapshot at each (a read saves the first
      // point it folds past), so each page below starts from one taken inside its append.
      const history = new OrganizationHistory(store, { store: snapshots, every: 1 }, 2);
      for (const event of events) {
        await history.at(world.organizationId, { kind: 'position', position: event.position });
      }
      await settle();
      const log = new AuditLog(store, {} as ReadAccess, history, 2);
      const cases: [cursor: string, cause: RecordedEvent][] = [
        [removal.position, removal],
        [cascade[0].position, removal],
        [cascade[2].position, removal],
        [invitation.position, invitation],
      ];
      for (const [cursor, cause] of cases) {
        const expected = all.filter((e) => BigInt(e.position) > BigInt(cursor)).slice(0, 3);
        for (let read = 0; read < 2; read++) {
          const page = await log.page(world.organizationId, {
            filter: {},
            limit: 3,
            after: cursor,
          });
          expect(page.items).toEqual(expected);
          const effects = page.items.filter(
            (e) => e.correlationId === cause.metadata.correlationId,
          );
          expect(effects.length).toBeGreaterThan(0);
          for (const effect of effects) {
            expect(effect.cause).toEqual({ eventId: cause.id, type: cause.type });
            // The member's email, as the state before the removal knew it.
            expect(effect.sentence).toContain(email);
          }
          await settle();
        }
        const snapshot = await snapshots.latest(
          historySnapshotStream(`organization-${world.organizationId}`),
          { foldVersion: ORGANIZATION_HISTORY_FOLD_VERSION, maxPosition: cursor },
        );
        expect(snapshot?.position).toBe(cursor);
      }
    } finally {
      await store.close();
      await snapshots.close();
    }
  });

  it('R39 access changes are the same with and without snapshots and across read chunks, between any two points', async () => {
    const point = fc.record({
      at: fc.integer({ min: 0, max: 1000 }).map((n) => n / 1000),
      byTime: fc.boolean(),
    });
    await fc.assert(
      fc.asyncProperty(
        sequence({ minLength: 10, maxLength: 80 }),
        fc.array(fc.tuple(point, point), { minLength: 4, maxLength: 10 }),
        async (steps, windows) => {
          const { world, store, snapshots, events } = await play(steps, () => false);
          try {
            const pointOf = ({ at, byTime }: { at: number; byTime: boolean }): AsOf => {
              const index = Math.min(Math.floor(at * (events.length + 1)) - 1, events.length - 1);
              if (byTime) {
                const time =
                  index < 0
                    ? Date.parse(events[0].recordedAt) - 30_000
                    : Date.parse(events[index].recordedAt);
                return { kind: 'time', time };
              }
              return { kind: 'position', position: index < 0 ? '0' : events[index].position };
            };
            const readers = variants(store, snapshots);
            const now = Date.UTC(2030, 0, 1);
            for (const [a, b] of windows) {
              const from = pointOf(a);
              const to = pointOf(b);
              const expected = await outcome(() =>
                readers[0].changes.between(world.organizationId, from, to, now),
              );
              // The window as a fold from the first event finds it (a clock may step back).
              const fromIndex = lastReached(events, from);
              const toIndex = lastReached(events, to);
              const ordered =
                from.kind !== to.kind ||
                (from.kind === 'position'
                  ? BigInt(from.position) < BigInt((to as typeof from).position)
                  : from.time < (to as typeof from).time);
              if (!ordered) expect(expected).toEqual({ error: 'INVALID_ACCESS_CHANGES_WINDOW' });
              else if (toIndex < 0) expect(expected).toEqual({ error: 'ORGANIZATION_NOT_FOUND' });
              else if (fromIndex > toIndex) {
                expect(expected).toEqual({ error: 'INVALID_ACCESS_CHANGES_WINDOW' });
              } else if ('error' in expected) {
                // Only when `from` is judged at an instant after `to`'s.
                expect(expected).toEqual({ error: 'INVALID_ACCESS_CHANGES_WINDOW' });
                const toTime =
                  to.kind === 'time' ? to.time : Date.parse(events[toIndex].recordedAt);
                const fromTime =
                  from.kind === 'time' ? from.time : Date.parse(events[fromIndex].recordedAt);
                expect(fromTime).toBeGreaterThan(toTime);
              } else {
                expect(expected.from.position).toBe(
                  fromIndex < 0 ? '0' : events[fromIndex].position,
                );
                expect(expected.to.position).toBe(events[toIndex].position);
              }
              for (const { name, changes } of readers.slice(1)) {
                const got = await outcome(() =>
                  changes.between(world.organizationId, from, to, now),
                );
                expect({ name, from, to, got }).toEqual({ name, from, to, got: expected });
              }
              await settle();
            }
          } finally {
            await store.close();
            await snapshots.close();
          }
        },
      ),
      { numRuns: 25 },
    );
  }, 120_000);
});
