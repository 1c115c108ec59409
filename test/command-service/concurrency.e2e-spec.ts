import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DomainError, type Actor, type OrganizationCommand } from '#libs/domain';
import { SqliteEventStore, type EventStore } from '#libs/event-store';
import { CommandExecutor } from '../../apps/command-service/src/infrastructure/command-executor.js';
import { organizationAggregate } from '../../apps/command-service/src/organizations/aggregates.js';

const support: Actor = { type: 'support', id: 'support-1' };
const admin: Actor = { type: 'user', subject: 'idp|admin', email: 'admin@acme.test', groups: [] };
const now = () => new Date().toISOString();

function command<T extends OrganizationCommand['type']>(
  type: T,
  data: Extract<OrganizationCommand, { type: T }>['data'],
  actor: Actor = admin,
): OrganizationCommand {
  return { type, data, metadata: { actor, now: now() } } as OrganizationCommand;
}

/**
 * Two executors stand for two command-service processes on one store: each has its own
 * cached aggregates, so they really do race to the same revision.
 */
describe('commands racing on one organization', () => {
  let store: EventStore;
  const organizationId = randomUUID();
  const trace = {
    organizationId,
    actor: { type: 'user' as const, id: 'idp|admin' },
    correlationId: 'c',
    causationId: 'c',
  };

  beforeEach(async () => {
    store = new SqliteEventStore(join(mkdtempSync(join(tmpdir(), 'al-race-')), 'events.sqlite'));
    await new CommandExecutor(store, 0).execute(
      organizationAggregate,
      organizationId,
      command(
        'CreateOrganization',
        {
          organizationId,
          name: 'Acme',
          catalog: ['checks.read', 'truora.roles'],
          firstUser: { userId: randomUUID(), email: 'admin@acme.test' },
          defaultWorkspaceId: randomUUID(),
        },
        support,
      ),
      trace,
    );
  });
  afterEach(() => store.close());

  it('R36 no acknowledged update is lost when two processes append at once', async () => {
    const processes = [new CommandExecutor(store, 20), new CommandExecutor(store, 20)];
    const names = Array.from({ length: 40 }, (_, i) => `Role ${i}`);
    const results = await Promise.allSettled(
      names.map((name, i) =>
        processes[i % 2].execute(
          organizationAggregate,
          organizationId,
          command('CreateRole', { roleId: randomUUID(), name, permissions: ['checks.read'] }),
          trace,
        ),
      ),
    );
    expect(results.filter((r) => r.status === 'rejected')).toEqual([]);
    const state = await new CommandExecutor(store, 0).load(organizationAggregate, organizationId);
    expect([...state.roles.values()].map((r) => r.name).sort()).toEqual([...names].sort());
  });

  it('R36 R8 a re-decision on fresh state refuses what became illegal meanwhile', async () => {
    // Two admins; each process demotes a different one, having seen both as admins.
    const second = randomUUID();
    const setup = new CommandExecutor(store, 0);
    await setup.execute(
      organizationAggregate,
      organizationId,
      command('InviteMember', { userId: second, email: 'b@acme.test', roleId: 'full_access' }),
      trace,
    );
    await setup.execute(
      organizationAggregate,
      organizationId,
      command(
        'SignIn',
        { subject: 'idp|b', email: 'b@acme.test', groups: [] },
        { type: 'user', subject: 'idp|b', email: 'b@acme.test', groups: [] },
      ),
      trace,
    );
    const first = (await setup.load(organizationAggregate, organizationId)).userIdByEmail.get(
      'admin@acme.test',
    )!;

    const [a, b] = [new CommandExecutor(store, 5), new CommandExecutor(store, 5)];
    await Promise.all([
      a.load(organizationAggregate, organizationId),
      b.load(organizationAggregate, organizationId),
    ]);
    const results = await Promise.allSettled([
      a.execute(
        organizationAggregate,
        organizationId,
        command('ChangeMemberRole', { userId: first, roleId: 'default_access' }),
        trace,
      ),
      b.execute(
        organizationAggregate,
        organizationId,
        command('ChangeMemberRole', { userId: second, roleId: 'default_access' }),
        trace,
      ),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
    // Refused by the rules on fresh state, not for running out of retries.
    const refusal = results.find((r): r is PromiseRejectedResult => r.status === 'rejected')!;
    expect(refusal.reason).toBeInstanceOf(DomainError);
    const state = await new CommandExecutor(store, 0).load(organizationAggregate, organizationId);
    expect(state.activeFullAccess.size).toBe(1);
  });
});
