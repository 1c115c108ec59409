import { randomUUID } from 'node:crypto';
import { DomainError, type Actor, type OrganizationCommand } from '#libs/domain';
import { SqliteEventStore, type EventStore, type RecordedEvent } from '#libs/event-store';
import { CommandExecutor } from '../../apps/command-service/src/infrastructure/command-executor.js';
import { organizationAggregate } from '../../apps/command-service/src/organizations/aggregates.js';
import { brokenInvariants, foldOracle } from '../property/access-graph-oracle.js';

/**
 * The hard cross-entity case of R25 (ADR 9): one process removes a member while another makes
 * that member the owner of a project. Each process decided on a state where both commands were
 * legal; whichever appends second must re-decide on fresh state and be refused, so no live
 * project is ever owned by someone who left. Two executors stand for two processes: each has
 * its own cached state, so they truly race to the same revision of the organization stream.
 */
const rounds = 25;

describe('ownership races', () => {
  let store: EventStore;
  beforeEach(() => (store = new SqliteEventStore(':memory:')));
  afterEach(() => store.close());

  it.each([
    ['R25 R11 removing a member while ownership is transferred to them', 'user'],
    ['R25 R19 deleting a group while ownership is transferred to it', 'group'],
  ] as const)(
    '%s: exactly one wins, and no project is left with a departed owner',
    async (_, kind) => {
      const outcomes = new Set<string>();
      for (let round = 0; round < rounds; round++) {
        const org = await organizationWithProject(store);
        const [a, b] = [new CommandExecutor(store, 5), new CommandExecutor(store, 5)];
        // Both processes have seen the same state before the race.
        await Promise.all([
          a.load(organizationAggregate, org.id),
          b.load(organizationAggregate, org.id),
        ]);
        const target =
          kind === 'user'
            ? { type: 'user' as const, id: org.memberId }
            : { type: 'group' as const, id: org.groupId };
        const departure =
          kind === 'user'
            ? org.command('RemoveMember', { userId: org.memberId })
            : org.command('DeleteGroup', { groupId: org.groupId });
        const transfer = org.command('TransferOwnership', { projectId: org.projectId, to: target });
        const [first, second] = round % 2 === 0 ? [departure, transfer] : [transfer, departure];
        const results = await Promise.allSettled([
          a.execute(organizationAggregate, org.id, first, org.trace),
          b.execute(organizationAggregate, org.id, second, org.trace),
        ]);
        expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
        const refusal = results.find(
          (r): r is PromiseRejectedResult => r.status === 'rejected',
        )!.reason;
        expect(refusal).toBeInstanceOf(DomainError);
        outcomes.add((refusal as DomainError).code);
        const events = (await history(store)).filter((e) => e.metadata.organizationId === org.id);
        expect(brokenInvariants(foldOracle(events))).toEqual([]);
      }
      // Over the rounds, each side has won at least once: the test exercised both orders.
      expect(outcomes.size).toBeGreaterThanOrEqual(2);
    },
  );
});

async function organizationWithProject(store: EventStore) {
  const id = randomUUID();
  const adminEmail = `admin@${id}.test`;
  const memberEmail = `member@${id}.test`;
  const [adminId, memberId, groupId, projectId, defaultWorkspaceId] = [
    randomUUID(),
    randomUUID(),
    randomUUID(),
    randomUUID(),
    randomUUID(),
  ];
  const admin: Actor = {
    type: 'user',
    subject: `idp|${adminEmail}`,
    email: adminEmail,
    groups: [],
  };
  const memberSubject = `idp|${memberEmail}`;
  const member: Actor = {
    type: 'user',
    subject: memberSubject,
    email: memberEmail,
    groups: [],
  };
  const now = new Date().toISOString();
  const command = (type: string, data: object, actor: Actor = admin) =>
    ({ type, data, metadata: { actor, now } }) as OrganizationCommand;
  const trace = {
    organizationId: id,
    actor: { type: 'user' as const, id: 'race' },
    correlationId: 'race',
    causationId: 'race',
  };
  const setup = new CommandExecutor(store, 0);
  const run = (c: OrganizationCommand) => setup.execute(organizationAggregate, id, c, trace);
  await run(
    command(
      'CreateOrganization',
      {
        organizationId: id,
        name: 'Race',
        catalog: [],
        firstUser: { userId: adminId, email: adminEmail },
        defaultWorkspaceId,
      },
      { type: 'support', id: 'support' },
    ),
  );
  await run(command('InviteMember', { userId: memberId, email: memberEmail }));
  await run(command('SignIn', { subject: memberSubject, email: memberEmail, groups: [] }, member));
  await run(command('CreateGroup', { groupId, name: 'Owners' }));
  await run(command('AddGroupMembers', { groupId, userIds: [memberId] }));
  await run(
    command('CreateProject', { projectId, workspaceId: defaultWorkspaceId, name: 'Contested' }),
  );
  await run(
    command('AddProjectMember', {
      projectId,
      principal: { type: 'user', id: memberId },
      role: 'user',
    }),
  );
  await run(
    command('AddProjectMember', {
      projectId,
      principal: { type: 'group', id: groupId },
      role: 'viewer',
    }),
  );
  return { id, memberId, groupId, projectId, trace, command };
}

async function history(store: EventStore): Promise<RecordedEvent[]> {
  const events: RecordedEvent[] = [];
  for await (const event of store.readAll()) events.push(event);
  return events;
}
