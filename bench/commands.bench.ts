import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Actor, OrganizationCommand } from '#libs/domain';
import { newEventId, SqliteEventStore, type NewEvent } from '#libs/event-store';
import { CommandExecutor } from '../apps/command-service/src/infrastructure/command-executor.js';
import { organizationAggregate } from '../apps/command-service/src/organizations/aggregates.js';
import { RawTable } from './raw-table.js';
import { compare, header, measure, report } from './report.js';
import { roleChangesBench } from './role-changes.bench.js';

/**
 * Commands end to end in process (load, decide, durable append, fold), docs/benchmarks.md#targets:
 * at least 50% of raw SQLite single-transaction inserts; concurrent commands group-committed
 * beyond it; an organization of 100,000 members within 2x the latency of a small one; and (d,
 * role-changes.bench.ts) a promotion to full_access within 2x of any other role change, up to
 * the read models holding it, in an organization of 10,000 projects (issue 11).
 */
const ROUNDS = 3;
const ROUND_MS = 1000;
const CONCURRENCY = 64;
const LARGE_ORGANIZATION = 100_000;

const support: Actor = { type: 'support', id: 'support-bench' };

export async function commandsBench(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-commands-'));
  const store = new SqliteEventStore(join(dir, 'events.sqlite'));
  const raw = new RawTable(join(dir, 'raw.sqlite'));
  const executor = new CommandExecutor(store, 5);
  try {
    header('commands in process (SQLite, synchronous=FULL)');
    const small = await organization(executor, store);

    const sequential = await compare(
      'commands one at a time',
      ROUNDS,
      ROUND_MS,
      async (loop) => {
        while (loop.running()) {
          await small.toggleRole();
          loop.add(1);
        }
      },
      (loop) => {
        while (loop.running()) {
          raw.insertOne(rawEvent());
          loop.add(1);
        }
      },
    );
    report('(a) commands, one at a time', sequential.figure, sequential.raw, 'commands/s');

    const organizations = await Promise.all(
      Array.from({ length: CONCURRENCY }, () => organization(executor, store)),
    );
    const concurrent = await measure('concurrent commands', ROUNDS * ROUND_MS, async (loop) => {
      await Promise.all(
        organizations.map(async (org) => {
          while (loop.running()) {
            await org.toggleRole();
            loop.add(1);
          }
        }),
      );
    });
    report(
      `(b) commands, ${CONCURRENCY} organizations at once`,
      concurrent,
      sequential.raw,
      'commands/s',
    );

    const large = await organization(executor, store, LARGE_ORGANIZATION);
    const smallLatency = await latency(small.toggleRole);
    const largeLatency = await latency(large.toggleRole);
    report(
      `(c) p50 latency, ${LARGE_ORGANIZATION.toLocaleString('en')} members vs 2 (lower is better)`,
      largeLatency,
      smallLatency,
      'µs',
    );
    // What a restart costs: a fresh process folds the whole stream once, on first use.
    const coldStart = performance.now();
    await new CommandExecutor(store, 5).load(organizationAggregate, large.organizationId);
    const coldMs = performance.now() - coldStart;
    console.log(
      `    cold load of the large organization (one fold of its stream): ${coldMs.toFixed(0)} ms`,
    );

    await roleChangesBench(dir);
  } finally {
    await store.close();
    raw.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** An organization with an admin and one member whose role each command flips. */
export async function organization(
  executor: CommandExecutor,
  store: SqliteEventStore,
  extraMembers = 0,
) {
  const organizationId = randomUUID();
  const adminEmail = `admin@${organizationId}.test`;
  const admin: Actor = {
    type: 'user',
    subject: `idp|${adminEmail}`,
    email: adminEmail,
    groups: [],
  };
  const trace = {
    organizationId,
    actor: { type: 'user' as const, id: 'bench' },
    correlationId: 'bench',
    causationId: 'bench',
  };
  const run = (command: OrganizationCommand) =>
    executor.execute(organizationAggregate, organizationId, command, trace);
  const now = new Date().toISOString();
  await run({
    type: 'CreateOrganization',
    data: {
      organizationId,
      name: 'Bench',
      catalog: ['checks.read'],
      firstUser: { userId: randomUUID(), email: adminEmail },
      defaultWorkspaceId: randomUUID(),
    },
    metadata: { actor: support, now },
  });
  if (extraMembers > 0) await appendInvitations(store, organizationId, extraMembers);
  const userId = randomUUID();
  await run({
    type: 'InviteMember',
    data: { userId, email: `m@${organizationId}.test` },
    metadata: { actor: admin, now },
  });
  let role = 'default_access';
  return {
    organizationId,
    toggleRole: async () => {
      role = role === 'default_access' ? 'full_access' : 'default_access';
      await run({
        type: 'ChangeMemberRole',
        data: { userId, roleId: role },
        metadata: { actor: admin, now: new Date().toISOString() },
      });
    },
  };
}

/** Grows an organization fast: invitations appended in batches, as a long history would hold. */
export async function appendInvitations(
  store: SqliteEventStore,
  organizationId: string,
  count: number,
) {
  let revision = (await store.readStream(`organization-${organizationId}`)).length - 1;
  for (let done = 0; done < count; done += 1000) {
    const batch: NewEvent[] = Array.from({ length: Math.min(1000, count - done) }, (_, i) => ({
      id: newEventId(),
      type: 'MemberInvited',
      data: {
        userId: randomUUID(),
        email: `user${done + i}@${organizationId}.test`,
        roleId: 'default_access',
        invitedBy: null,
      },
      metadata: {
        organizationId,
        schemaVersion: 1,
        actor: { type: 'system', id: 'bench' },
        correlationId: 'bench',
        causationId: 'bench',
      },
    }));
    revision = (await store.append(`organization-${organizationId}`, batch, revision)).revision;
  }
}

/** Median latency in µs. */
async function latency(command: () => Promise<void>, samples = 300): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < samples; i++) {
    const start = performance.now();
    await command();
    times.push(performance.now() - start);
  }
  return times.sort((a, b) => a - b)[Math.floor(samples / 2)] * 1000;
}

/** The raw limit's rows, with the event ids the command side makes (ADR 20). */
function rawEvent(): NewEvent {
  return {
    id: newEventId(),
    type: 'MemberRoleChanged',
    data: { userId: randomUUID(), roleId: 'default_access', previousRoleId: 'full_access' },
    metadata: {
      organizationId: 'bench',
      schemaVersion: 1,
      actor: { type: 'user', id: 'bench' },
      correlationId: 'c',
      causationId: 'c',
    },
  };
}
