import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { Actor, OrganizationCommand } from '#libs/domain';
import { newEventId, SqliteEventStore, type NewEvent, type Position } from '#libs/event-store';
import {
  AccessGraphs,
  ALL_PROJECTIONS,
  PROJECTION_INDEXES,
  READ_MODELS_FILE,
  SqliteDocumentStore,
} from '#libs/read-models';
import { CommandExecutor } from '../apps/command-service/src/infrastructure/command-executor.js';
import { organizationAggregate } from '../apps/command-service/src/organizations/aggregates.js';
import { Projector } from '../apps/projector/src/projector.js';
import { compare, report } from './report.js';

/*
 * Issue 11, item 6: a promotion (full_access <-> any role) against any other role change, in
 * one organization of many projects, timed from the command to the read models holding it —
 * what a client reading its own write with `?minPosition=` waits for (R35). Wired as the
 * standalone app wires it: the projector folds into an AccessGraphs that keeps the project
 * cells (the checks' fast path), every projection applied to the SQLite read models beside
 * the events (ADR 20).
 */
const PROJECTS = 10_000;
/** Projects the member holds a role on directly: their own rows, rewritten by any role change. */
const OWN_PROJECTS = 5;
const SAMPLES = 200;
const ROUNDS = 3;
const ROUND_MS = 1_000;

const support: Actor = { type: 'support', id: 'support-bench' };
const quiet = { log: () => undefined, warn: console.warn, error: console.error };

export async function roleChangesBench(dir: string): Promise<void> {
  const store = new SqliteEventStore(join(dir, 'role-changes.sqlite'));
  const executor = new CommandExecutor(store, 5);
  const documents = new SqliteDocumentStore(join(dir, READ_MODELS_FILE), PROJECTION_INDEXES);
  const graphs = new AccessGraphs({ indexProjects: true });
  const projector = new Projector(store, documents, ALL_PROJECTIONS, {
    batchSize: 1000,
    maxBatchDelayMs: 0,
    logger: quiet,
    graphs,
  });
  try {
    const org = await organizationOfProjects(executor, store, PROJECTS);
    await projector.start();
    // As once a check has been answered: from then on the project cells are kept in step
    // with every event (ADR 20), and each change pays for them.
    if (!graphs.get(org.organizationId)?.projectCells) throw new Error('no project cells');
    const readable = async (change: () => Promise<Position>) => {
      await projector.waitFor(await change(), 60_000);
    };
    const promote = () => readable(org.togglePromotion);
    const other = () => readable(org.toggleOtherRole);

    // Interleaved, so that a busy neighbour slows both alike.
    const promotions: Timing[] = [];
    const others: Timing[] = [];
    for (let i = 0; i < SAMPLES; i++) {
      promotions.push(await timed(promote));
      others.push(await timed(other));
    }
    // Alternating rounds, as the other benches compare a figure with its raw limit.
    const rates = await compare(
      'promotions vs other role changes',
      ROUNDS,
      ROUND_MS,
      async (loop) => {
        while (loop.running()) {
          await promote();
          loop.add(1);
        }
      },
      async (loop) => {
        while (loop.running()) {
          await other();
          loop.add(1);
        }
      },
    );
    const label = `${PROJECTS.toLocaleString('en')} projects`;
    const wall = (timings: Timing[]) => timings.map((timing) => timing.wallUs);
    const cpu = (timings: Timing[]) => timings.map((timing) => timing.cpuUs);
    report(
      `(d) promotion vs other role change, p50, ${label}`,
      quantile(wall(promotions), 0.5),
      quantile(wall(others), 0.5),
      'µs',
    );
    report(
      `(d) promotion vs other role change, p99, ${label}`,
      quantile(wall(promotions), 0.99),
      quantile(wall(others), 0.99),
      'µs',
    );
    // The process's own CPU per change: what the code costs, without the shared disk's fsync.
    report(
      `(d) promotion vs other role change, CPU p50`,
      quantile(cpu(promotions), 0.5),
      quantile(cpu(others), 0.5),
      'µs',
    );
    report(
      `(d) promotion vs other role change, one org, ${label}`,
      rates.figure,
      rates.raw,
      'changes/s',
    );
    console.log(
      '    (d) is command -> durable append -> projector (every read model, the project cells) ' +
        '-> applied; "raw" is a change between default_access and a custom role. Issue 11: ' +
        'latency ratio ≤ 2, rate ratio ≥ 0.5.',
    );
  } finally {
    await projector.stop();
    await documents.close();
    await store.close();
  }
}

/**
 * An organization of `projects` projects in its Default workspace (created by the first admin,
 * appended as the decider would emit them), a custom role, and two active members who hold a
 * role on the same few projects: one promoted and demoted in turn, one whose role goes between
 * default_access and the custom role.
 */
async function organizationOfProjects(
  executor: CommandExecutor,
  store: SqliteEventStore,
  projects: number,
) {
  const organizationId = randomUUID();
  const adminId = randomUUID();
  const defaultWorkspaceId = randomUUID();
  const actorOf = (email: string): Actor => ({
    type: 'user',
    subject: `idp|${email}`,
    email,
    groups: [],
  });
  const adminEmail = `admin@${organizationId}.test`;
  const admin = actorOf(adminEmail);
  const trace = {
    organizationId,
    actor: { type: 'user' as const, id: 'bench' },
    correlationId: 'bench',
    causationId: 'bench',
  };
  const run = async (command: OrganizationCommand) =>
    (await executor.execute(organizationAggregate, organizationId, command, trace)).position;
  const as = (actor: Actor) => ({ actor, now: new Date().toISOString() });
  await run({
    type: 'CreateOrganization',
    data: {
      organizationId,
      name: 'Bench',
      catalog: ['checks.read', 'truora.roles'],
      firstUser: { userId: adminId, email: adminEmail },
      defaultWorkspaceId,
    },
    metadata: as(support),
  });
  const projectIds = await appendProjects(
    store,
    organizationId,
    defaultWorkspaceId,
    adminId,
    projects,
  );
  await run({
    type: 'CreateRole',
    data: { roleId: 'analyst', name: 'Analyst', permissions: ['checks.read'] },
    metadata: as(admin),
  });
  /** An active member holding `user` on a few projects, and a toggle of their role. */
  const member = async (name: string, roles: [string, string]) => {
    const userId = randomUUID();
    const email = `${name}@${organizationId}.test`;
    await run({ type: 'InviteMember', data: { userId, email }, metadata: as(admin) });
    await run({
      type: 'SignIn',
      data: { subject: `idp|${email}`, email, groups: [] },
      metadata: as(actorOf(email)),
    });
    for (const projectId of projectIds.slice(0, OWN_PROJECTS)) {
      await run({
        type: 'AddProjectMember',
        data: { projectId, principal: { type: 'user', id: userId }, role: 'user' },
        metadata: as(admin),
      });
    }
    let role = roles[0];
    return () => {
      role = role === roles[0] ? roles[1] : roles[0];
      return run({ type: 'ChangeMemberRole', data: { userId, roleId: role }, metadata: as(admin) });
    };
  };
  return {
    organizationId,
    /** default_access <-> full_access: an org admin views every project (R28). */
    togglePromotion: await member('promoted', ['default_access', 'full_access']),
    toggleOtherRole: await member('other', ['default_access', 'analyst']),
  };
}

/** ProjectCreated events in batches, as a long history holds them; returns the project ids. */
async function appendProjects(
  store: SqliteEventStore,
  organizationId: string,
  workspaceId: string,
  ownerId: string,
  count: number,
): Promise<string[]> {
  const stream = `organization-${organizationId}`;
  let revision = (await store.readStream(stream)).length - 1;
  const ids: string[] = [];
  for (let done = 0; done < count; done += 1000) {
    const batch: NewEvent[] = Array.from({ length: Math.min(1000, count - done) }, (_, i) => {
      const projectId = randomUUID();
      ids.push(projectId);
      return {
        id: newEventId(),
        type: 'ProjectCreated',
        data: {
          projectId,
          workspaceId,
          name: `Project ${done + i}`,
          owner: { type: 'user', id: ownerId },
        },
        metadata: {
          organizationId,
          schemaVersion: 1,
          actor: { type: 'user', id: ownerId },
          correlationId: 'bench',
          causationId: 'bench',
        },
      };
    });
    revision = (await store.append(stream, batch, revision)).revision;
  }
  return ids;
}

interface Timing {
  wallUs: number;
  /** User and system CPU of the process meanwhile. */
  cpuUs: number;
}

async function timed(body: () => Promise<void>): Promise<Timing> {
  const cpu = process.cpuUsage();
  const start = performance.now();
  await body();
  const used = process.cpuUsage(cpu);
  return { wallUs: (performance.now() - start) * 1000, cpuUs: used.user + used.system };
}

/** The q-quantile of samples in µs (nearest rank). */
function quantile(samples: number[], q: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
}
