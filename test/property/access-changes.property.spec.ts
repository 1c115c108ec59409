import fc from 'fast-check';
import { DomainError } from '#libs/domain';
import { SqliteEventStore, type RecordedEvent } from '#libs/event-store';
import { ApiError } from '#libs/http';
import type { AsOf } from '../../apps/query-service/src/history/as-of.js';
import { OrganizationHistory } from '../../apps/query-service/src/history/organization-history.js';
import type { AccessChange } from '../../apps/query-service/src/access-changes/access-change-fold.js';
import { AccessChangesService } from '../../apps/query-service/src/access-changes/access-changes.service.js';
import { CommandExecutor } from '../../apps/command-service/src/infrastructure/command-executor.js';
import { AccessOracle, foldFacts } from './access-check-oracle.js';
import {
  createOrganization,
  describeStep,
  history,
  newWorld,
  NOW,
  PERMISSION_POOL,
  runStep,
  sequence,
  type Step,
  type World,
} from './command-sequences.js';

/*
 * R39: over random command sequences run through the real command path, the access changes
 * the service reports between two random points agree with a brute force that shares nothing
 * with the incremental fold nor with the engine: the independent oracle of the access-check
 * property, over plain facts folded from scratch at every moment of the window, asked every
 * (subject, item) question of the world. Its cause for an item is the last moment its answer
 * changed; a moment is an event, or an API key's expiry (no event: time passing).
 *
 * Commits are recorded two minutes apart from NOW, so keys issued to expire an hour after NOW
 * (EXPIRES_AT) expire in the middle of most histories.
 */

const SEED = 20261201;
const PERMISSIONS = [
  ...PERMISSION_POOL,
  'truora.users',
  'truora.workspaces',
  'truora.directory',
  'never.in.catalog',
];

/** A point as drawn: a place in the history (0: before it, 1: its end), by position or time. */
const POINT = fc.record({
  at: fc.integer({ min: 0, max: 1000 }).map((n) => n / 1000),
  byTime: fc.boolean(),
});

interface Played {
  world: World;
  applied: string[];
  events: RecordedEvent[];
  store: SqliteEventStore;
}

async function play(steps: Step[]): Promise<Played> {
  const world = newWorld();
  let clock = Date.parse(NOW);
  const store = new SqliteEventStore(':memory:', { now: () => new Date((clock += 300_000)) });
  const executor = new CommandExecutor(store, 0);
  await createOrganization(executor, world);
  const applied: string[] = [];
  for (const s of steps) {
    if (!(await runStep(executor, world, s))) applied.push(describeStep(world, s));
  }
  return { world, applied, events: await history(store), store };
}

/** What a change is, for comparison: everything but the names. */
type Essential = Pick<AccessChange, 'subject' | 'kind' | 'item' | 'change' | 'before' | 'after'> & {
  cause: string;
};

const essential = (c: AccessChange): Essential => ({
  subject: c.subject,
  kind: c.kind,
  item: c.item,
  change: c.change,
  before: c.before,
  after: c.after,
  cause: c.cause.eventId ?? `expiry@${c.cause.time}`,
});

/** Every (subject, item) answer of the oracle at one moment: `subject item` -> value. */
function answers(world: World, events: RecordedEvent[], now: string): Map<string, string> {
  const oracle = new AccessOracle(foldFacts(events), now);
  const held = new Map<string, string>();
  for (const { userId } of world.users) {
    const subject = { type: 'user' as const, id: userId };
    for (const permission of PERMISSIONS) {
      if (oracle.permission(subject, permission).allowed) {
        held.set(`user:${userId} permission ${permission}`, 'true');
      }
    }
    for (const workspaceId of world.workspaces) {
      const { role } = oracle.workspace(subject, workspaceId, 'view');
      if (role !== undefined)
        held.set(`user:${userId} workspace_role workspace:${workspaceId}`, role);
    }
    for (const projectId of world.projects) {
      const { role } = oracle.project(subject, projectId, 'view');
      if (role !== undefined) held.set(`user:${userId} project_role project:${projectId}`, role);
    }
  }
  for (const keyId of world.keys) {
    for (const permission of PERMISSIONS) {
      if (oracle.permission({ type: 'api_key', id: keyId }, permission).allowed) {
        held.set(`apiKey:${keyId} permission ${permission}`, 'true');
      }
    }
  }
  return held;
}

/** Index of the last event at or before the point; -1 before the first. */
const lastAt = (events: RecordedEvent[], point: AsOf) =>
  events.findLastIndex((e) =>
    point.kind === 'position'
      ? BigInt(e.position) <= BigInt(point.position)
      : Date.parse(e.recordedAt) <= point.time,
  );

/**
 * The brute force: the oracle's answers at `from`, then at every moment of the window — each
 * event (answered on the facts up to it) and each key expiry (on the facts before the first
 * event recorded at or after it) — and at `to`; per item, the last moment its answer changed.
 */
function bruteForce(
  world: World,
  events: RecordedEvent[],
  fromIndex: number,
  fromTime: string,
  toIndex: number,
  toTime: string,
): Essential[] {
  const moments: { upTo: number; time: string; cause: string }[] = [];
  const expiries = [
    ...new Set(
      events
        .filter((e) => e.type === 'ApiKeyIssued')
        .map((e) => (e.data as { expiresAt: string | null }).expiresAt)
        .filter((at): at is string => at !== null),
    ),
  ]
    .filter((at) => Date.parse(at) > Date.parse(fromTime) && Date.parse(at) <= Date.parse(toTime))
    .sort();
  let pending = 0;
  for (let i = fromIndex + 1; i <= toIndex; i++) {
    while (
      pending < expiries.length &&
      Date.parse(expiries[pending]) <= Date.parse(events[i].recordedAt)
    ) {
      moments.push({ upTo: i - 1, time: expiries[pending], cause: `expiry@${expiries[pending]}` });
      pending++;
    }
    moments.push({ upTo: i, time: events[i].recordedAt, cause: events[i].id });
  }
  for (; pending < expiries.length; pending++) {
    moments.push({ upTo: toIndex, time: expiries[pending], cause: `expiry@${expiries[pending]}` });
  }
  const start = answers(world, events.slice(0, fromIndex + 1), fromTime);
  let previous = start;
  const causes = new Map<string, string>();
  for (const moment of moments) {
    const now = answers(world, events.slice(0, moment.upTo + 1), moment.time);
    for (const item of new Set([...previous.keys(), ...now.keys()])) {
      if (previous.get(item) !== now.get(item)) causes.set(item, moment.cause);
    }
    previous = now;
  }
  const end = answers(world, events.slice(0, toIndex + 1), toTime);
  const changes: Essential[] = [];
  for (const item of new Set([...start.keys(), ...end.keys()])) {
    const [subject, kind, what] = item.split(' ');
    const was = start.get(item);
    const is = end.get(item);
    if (was === is) continue;
    const value = (v: string | undefined) =>
      kind === 'permission' ? v !== undefined : (v ?? null);
    changes.push({
      subject,
      kind: kind as Essential['kind'],
      item: what,
      change: was === undefined ? 'gained' : is === undefined ? 'lost' : 'changed',
      before: value(was),
      after: value(is),
      cause: causes.get(item) ?? 'none',
    });
  }
  const order = (c: Essential) => `${c.subject} ${c.kind} ${c.item}`;
  return changes.sort((a, b) => (order(a) < order(b) ? -1 : order(a) > order(b) ? 1 : 0));
}

function pointOf(events: RecordedEvent[], { at, byTime }: { at: number; byTime: boolean }): AsOf {
  const index = Math.min(Math.floor(at * (events.length + 1)) - 1, events.length - 1);
  if (byTime) {
    const first = Date.parse(events[0].recordedAt);
    return {
      kind: 'time',
      time: index < 0 ? first - 30_000 : Date.parse(events[index].recordedAt),
    };
  }
  return { kind: 'position', position: index < 0 ? '0' : events[index].position };
}

describe('access changes over random command sequences (R39)', () => {
  // Longer tails than fast-check's small default: losses and changes need grants to undo.
  // (Sizes are resolved when an arbitrary is built, so the sequences are built inside the test.)
  const configured = fc.readConfigureGlobal();
  beforeAll(() => fc.configureGlobal({ ...configured, baseSize: 'medium' }));
  afterAll(() => fc.configureGlobal(configured));

  it('R39 property: access changes agree with a brute-force diff of two folds on random histories', async () => {
    const sequences = sequence({ minLength: 0, maxLength: 150 });
    await fc.assert(
      fc.asyncProperty(sequences, POINT, POINT, async (steps, a, b) => {
        const played = await play(steps);
        const { world, events, store } = played;
        try {
          const [first, second] = a.at <= b.at ? [a, b] : [b, a];
          const from = pointOf(events, first);
          const to = pointOf(events, second);
          const service = new AccessChangesService(store, new OrganizationHistory(store));
          const fromIndex = lastAt(events, from);
          const toIndex = lastAt(events, to);
          let report;
          try {
            report = await service.between(world.organizationId, from, to);
          } catch (error) {
            // `to` before the organization is 404; otherwise refused only when the window holds
            // no event at all (from is not before to).
            if (error instanceof DomainError && error.code === 'ORGANIZATION_NOT_FOUND') {
              expect(toIndex).toBe(-1);
              return;
            }
            if (!(error instanceof ApiError) || error.code !== 'INVALID_ACCESS_CHANGES_WINDOW') {
              throw error;
            }
            expect(fromIndex >= toIndex).toBe(true);
            return;
          }
          const fromTime =
            from.kind === 'time'
              ? new Date(from.time).toISOString()
              : (events[fromIndex]?.recordedAt ?? events[0].recordedAt);
          const toTime =
            to.kind === 'time' ? new Date(to.time).toISOString() : events[toIndex].recordedAt;
          expect(report.to.position).toBe(events[toIndex].position);
          expect(report.from.position).toBe(fromIndex < 0 ? '0' : events[fromIndex].position);

          const want = bruteForce(world, events, fromIndex, fromTime, toIndex, toTime);
          const got = report.changes.map(essential);
          expect(
            got.length === 0 && want.length === 0 ? [] : { got, applied: played.applied },
          ).toEqual(want.length === 0 ? [] : { got: want, applied: played.applied });

          // Every cause is an event of the window (from, to], as stored, or a key's expiry in it.
          const window = new Map(events.slice(fromIndex + 1, toIndex + 1).map((e) => [e.id, e]));
          for (const change of report.changes) {
            const { cause } = change;
            if (cause.eventId === null) {
              expect(change.subject.startsWith('apiKey:')).toBe(true);
              expect(Date.parse(cause.time) > Date.parse(fromTime)).toBe(true);
              expect(Date.parse(cause.time) <= Date.parse(toTime)).toBe(true);
              continue;
            }
            const stored = window.get(cause.eventId);
            expect(
              stored && {
                type: stored.type,
                position: stored.position,
                time: stored.recordedAt,
                actor: { type: stored.metadata.actor.type, id: stored.metadata.actor.id },
              },
            ).toEqual({
              type: cause.type,
              position: cause.position,
              time: cause.time,
              actor: cause.actor,
            });
            expect(change.subject.startsWith('user:') ? change.email : change.name).toEqual(
              expect.any(String),
            );
          }
        } finally {
          await store.close();
        }
      }),
      { numRuns: 200, seed: SEED },
    );
  }, 180_000);
});
