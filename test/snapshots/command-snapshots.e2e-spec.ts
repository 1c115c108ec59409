import { randomUUID } from 'node:crypto';
import type { Actor, OrganizationCommand, OrganizationState } from '#libs/domain';
import { SqliteEventStore, type EventStore } from '#libs/event-store';
import {
  encodeSnapshotValue,
  SqliteSnapshotStore,
  type Snapshot,
  type SnapshotStore,
} from '#libs/snapshots';
import type { AggregateSnapshots } from '../../apps/command-service/src/infrastructure/aggregate-store.js';
import {
  CommandExecutor,
  type CommandTrace,
} from '../../apps/command-service/src/infrastructure/command-executor.js';
import { organizationAggregate } from '../../apps/command-service/src/organizations/aggregates.js';

const support: Actor = { type: 'support', id: 'support-1' };
const admin: Actor = { type: 'user', subject: 'idp|admin', email: 'admin@acme.test', groups: [] };
const EVERY = 10;

/** Lets the background snapshot saves (setImmediate, then the store) finish. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 50));

/** The event store, counting what each readStream call returned. */
function counting(store: EventStore): EventStore & { read: number[] } {
  const read: number[] = [];
  return Object.assign(Object.create(store) as EventStore, {
    read,
    readStream: async (stream: string, from?: number) => {
      const events = await store.readStream(stream, from);
      read.push(events.length);
      return events;
    },
  });
}

describe('the command side loads cold aggregates from snapshots (ADR 19)', () => {
  let events: SqliteEventStore;
  let snapshots: SqliteSnapshotStore;
  const organizationId = randomUUID();
  const stream = `organization-${organizationId}`;
  const trace = (idempotency?: CommandTrace['idempotency']): CommandTrace => ({
    organizationId,
    actor: { type: 'user', id: 'idp|admin' },
    correlationId: 'c',
    causationId: 'c',
    ...(idempotency && { idempotency }),
  });
  const executor = (with_?: Partial<AggregateSnapshots> | 'none') =>
    new CommandExecutor(
      events,
      0,
      undefined,
      undefined,
      with_ === 'none' ? undefined : { store: snapshots, every: EVERY, ...with_ },
    );
  const run = (
    on: CommandExecutor,
    type: string,
    data: object,
    idempotency?: CommandTrace['idempotency'],
  ) =>
    on.execute(
      organizationAggregate,
      organizationId,
      {
        type,
        data,
        metadata: { actor: admin, now: new Date().toISOString() },
      } as OrganizationCommand,
      trace(idempotency),
    );
  const invite = (on: CommandExecutor, i: number) =>
    run(on, 'InviteMember', { userId: `u-${i}`, email: `u${i}@acme.test` });

  beforeEach(async () => {
    events = new SqliteEventStore(':memory:');
    snapshots = new SqliteSnapshotStore(':memory:');
    await new CommandExecutor(events, 0).execute(
      organizationAggregate,
      organizationId,
      {
        type: 'CreateOrganization',
        data: {
          organizationId,
          name: 'Acme',
          catalog: ['checks.read'],
          firstUser: { userId: 'u-admin', email: 'admin@acme.test' },
          defaultWorkspaceId: randomUUID(),
        },
        metadata: { actor: support, now: new Date().toISOString() },
      },
      trace(),
    );
  });
  afterEach(async () => {
    await events.close();
    await snapshots.close();
  });

  const foldVersion = () => `${organizationAggregate.foldVersion}+recent-commands@1+codec@2`;

  it('a cold load starts from the newest snapshot and reads only the events after it', async () => {
    const warm = executor();
    for (let i = 0; i < 25; i++) await invite(warm, i);
    await settle();
    const saved = await snapshots.latest(stream, { foldVersion: foldVersion() });
    expect(saved?.revision).toBeGreaterThanOrEqual(EVERY);

    const reads = counting(events);
    const cold = new CommandExecutor(reads, 0, undefined, undefined, {
      store: snapshots,
      every: EVERY,
    });
    const state = await cold.load(organizationAggregate, organizationId);

    const head = (await events.readStream(stream)).length - 1;
    // The event at the snapshot's revision (to check it) and the ones after it, not them all.
    expect(reads.read).toEqual([head - saved!.revision + 1]);
    expect(reads.read[0]).toBeLessThanOrEqual(EVERY + 2);
    expect(state).toEqual(await executor('none').load(organizationAggregate, organizationId));
    expect(state.members.size).toBe(26);
  });

  it('a snapshot of another fold version is unused, never folded on', async () => {
    const warm = executor();
    for (let i = 0; i < 3; i++) await invite(warm, i);
    const truth = await executor('none').load(organizationAggregate, organizationId);
    const head = await events.readStream(stream);
    const doctored = (version: string): Snapshot => {
      const state = structuredClone(truth) as OrganizationState;
      state.name = 'Made by another evolve';
      return {
        revision: head.length - 1,
        position: head.at(-1)!.position,
        time: new Date().toISOString(),
        foldVersion: version,
        state: encodeSnapshotValue({ state, recent: [] }),
      };
    };

    await snapshots.save(stream, doctored('organization@0+recent-commands@1+codec@1'));
    expect((await executor().load(organizationAggregate, organizationId)).name).toBe('Acme');

    // The same bytes under this fold's version would be used: the version is what keeps it out.
    await snapshots.save(stream, doctored(foldVersion()));
    expect((await executor().load(organizationAggregate, organizationId)).name).toBe(
      'Made by another evolve',
    );
  });

  it('a snapshot that does not match the event store (another store, a rewritten file) is ignored', async () => {
    for (let i = 0; i < 3; i++) await invite(executor(), i);
    const state = structuredClone(
      await executor('none').load(organizationAggregate, organizationId),
    );
    state.name = 'From another store';
    await snapshots.save(stream, {
      revision: 3,
      position: '999999',
      time: new Date().toISOString(),
      foldVersion: foldVersion(),
      state: encodeSnapshotValue({ state, recent: [] }),
    });

    expect((await executor().load(organizationAggregate, organizationId)).name).toBe('Acme');
  });

  it('R37 a retry after a cold load from a snapshot still returns the first result', async () => {
    const first = executor();
    const claim = { key: 'hashed-key', fingerprint: 'fingerprint-1' };
    const original = await run(
      first,
      'InviteMember',
      { userId: 'u-x', email: 'x@acme.test' },
      claim,
    );
    for (let i = 0; i < 15; i++) await invite(first, i);
    await settle();
    const saved = await snapshots.latest(stream, { foldVersion: foldVersion() });
    // The retried command is inside the snapshot, not among the events folded after it.
    expect(saved!.revision).toBeGreaterThan(1);
    const head = await events.headPosition();

    const reads = counting(events);
    const another = new CommandExecutor(reads, 0, undefined, undefined, {
      store: snapshots,
      every: EVERY,
    });
    const retry = await another.execute(
      organizationAggregate,
      organizationId,
      {
        type: 'InviteMember',
        data: { userId: 'u-x', email: 'x@acme.test' },
        metadata: { actor: admin, now: new Date().toISOString() },
      },
      trace(claim),
    );

    expect(reads.read[0]).toBeLessThanOrEqual(EVERY + 2);
    expect(retry).toMatchObject({
      replayed: true,
      events: original.events,
      position: original.position,
    });
    expect(await events.headPosition()).toBe(head);
    await expect(
      another.execute(
        organizationAggregate,
        organizationId,
        {
          type: 'InviteMember',
          data: { userId: 'u-y', email: 'y@acme.test' },
          metadata: { actor: admin, now: new Date().toISOString() },
        },
        trace({ key: 'hashed-key', fingerprint: 'another request' }),
      ),
    ).rejects.toMatchObject({ code: 'IDEMPOTENCY_KEY_REUSED' });
  });

  it('a snapshot store that fails never fails a command: it is reported, the command answers', async () => {
    const broken: SnapshotStore = {
      save: () => Promise.reject(new Error('disk full')),
      latest: () => Promise.reject(new Error('unreachable')),
      close: () => Promise.resolve(),
    };
    const reported: string[] = [];
    const onError = (message: string) => reported.push(message);
    const withBroken = new CommandExecutor(events, 0, undefined, undefined, {
      store: broken,
      every: 2,
      onError,
    });

    for (let i = 0; i < 6; i++) await expect(invite(withBroken, i)).resolves.toBeDefined();
    await settle();

    expect((await withBroken.load(organizationAggregate, organizationId)).members.size).toBe(7);
    expect(reported.some((m) => /unreadable/.test(m))).toBe(true);
    expect(reported.some((m) => /not saved/.test(m))).toBe(true);
  });
});
