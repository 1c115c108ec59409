import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { DomainError, type Actor, type OrganizationCommand, type Principal } from '#libs/domain';
import { SqliteEventStore, type EventStore, type RecordedEvent } from '#libs/event-store';
import { CommandExecutor } from '../../apps/command-service/src/infrastructure/command-executor.js';
import { organizationAggregate } from '../../apps/command-service/src/organizations/aggregates.js';
import { brokenInvariants, foldOracle } from './access-graph-oracle.js';

/**
 * Random sequences of member, group, workspace and project commands from random actors, run
 * through the real command path on a real (in-memory SQLite) store. After every step the
 * history must satisfy the invariants — R8, R25, nobody who left holds a role — as
 * read by an independent oracle, and a refused command must have appended nothing.
 */
// Small pools, so that random steps keep meeting the same users, groups and projects.
const USERS = 4; // user 0 is the organization's first admin
const ids = (n: number) => Array.from({ length: n }, () => randomUUID());

interface World {
  organizationId: string;
  defaultWorkspaceId: string;
  users: { userId: string; email: string }[];
  groups: string[];
  workspaces: string[];
  projects: string[];
}

function newWorld(): World {
  const organizationId = randomUUID();
  return {
    organizationId,
    defaultWorkspaceId: randomUUID(),
    users: ids(USERS).map((userId, i) => ({ userId, email: `user${i}@${organizationId}.test` })),
    groups: ids(2),
    workspaces: ids(1),
    projects: ids(2),
  };
}

/** One step, as indexes into the world's pools; mapped to a command once the world exists. */
const step = fc.record({
  // Grants are weighted up: removals and cascades only matter once roles have been handed out.
  kind: fc.oneof(
    ...(
      [
        ['InviteMember', 2],
        ['SignIn', 1],
        ['ChangeMemberRole', 1],
        ['DeactivateMember', 1],
        ['ReactivateMember', 1],
        ['RemoveMember', 2],
        ['CreateGroup', 1],
        ['AddGroupMembers', 2],
        ['RemoveGroupMember', 1],
        ['DeleteGroup', 1],
        ['CreateWorkspace', 1],
        ['AddWorkspacePrincipal', 2],
        ['ChangeWorkspacePrincipalRole', 1],
        ['RemoveWorkspacePrincipal', 1],
        ['CreateProject', 2],
        ['AddProjectMember', 4],
        ['ChangeProjectMemberRole', 1],
        ['RemoveProjectMembers', 1],
        ['TransferOwnership', 3],
        ['DeleteProject', 1],
      ] as const
    ).map(([kind, weight]) => ({ arbitrary: fc.constant(kind), weight })),
  ),

  // The first admin acts most of the time, so that sequences reach deep states rather than
  // mostly refusals of members without authority.
  actor: fc.oneof(
    { arbitrary: fc.constant(0), weight: 3 },
    { arbitrary: fc.nat(USERS - 1), weight: 1 },
  ),
  user: fc.nat(USERS - 1),
  group: fc.nat(1),
  workspace: fc.nat(1), // 1 = the Default workspace
  project: fc.nat(1),
  principalIsGroup: fc.boolean(),
  orgRole: fc.constantFrom('full_access', 'default_access'),
  workspaceRole: fc.constantFrom('member', 'user', 'editor', 'admin'),
  projectRole: fc.constantFrom('viewer', 'user'),
});
type Step = typeof step extends fc.Arbitrary<infer T> ? T : never;

function toCommand(world: World, s: Step, now: string): OrganizationCommand {
  const user = world.users[s.user];
  const actorUser = world.users[s.actor];
  const actor: Actor = {
    type: 'user',
    subject: `idp|${actorUser.email}`,
    email: actorUser.email,
    groups: [],
  };
  const metadata = { actor, now };
  const groupId = world.groups[s.group];
  const workspaceId = s.workspace === 1 ? world.defaultWorkspaceId : world.workspaces[s.workspace];
  const projectId = world.projects[s.project];
  const principal: Principal = s.principalIsGroup
    ? { type: 'group', id: groupId }
    : { type: 'user', id: user.userId };
  const command = (type: string, data: object) => ({ type, data, metadata }) as OrganizationCommand;
  switch (s.kind) {
    case 'InviteMember':
      return command(s.kind, { userId: user.userId, email: user.email, roleId: s.orgRole });
    case 'SignIn':
      // The actor signs in as themselves.
      return command(s.kind, { subject: actor.subject, email: actorUser.email, groups: [] });
    case 'ChangeMemberRole':
      return command(s.kind, { userId: user.userId, roleId: s.orgRole });
    case 'DeactivateMember':
    case 'ReactivateMember':
    case 'RemoveMember':
      return command(s.kind, { userId: user.userId });
    case 'CreateGroup':
      return command(s.kind, { groupId, name: `group ${s.group}` });
    case 'AddGroupMembers':
      return command(s.kind, { groupId, userIds: [user.userId] });
    case 'RemoveGroupMember':
      return command(s.kind, { groupId, userId: user.userId });
    case 'DeleteGroup':
      return command(s.kind, { groupId });
    case 'CreateWorkspace':
      return command(s.kind, {
        workspaceId,
        name: `workspace ${s.workspace}`,
        principals: [{ principal, role: s.workspaceRole }],
      });
    case 'AddWorkspacePrincipal':
    case 'ChangeWorkspacePrincipalRole':
      return command(s.kind, { workspaceId, principal, role: s.workspaceRole });
    case 'RemoveWorkspacePrincipal':
      return command(s.kind, { workspaceId, principal });
    case 'CreateProject':
      return command(s.kind, { projectId, workspaceId, name: `project ${s.project}` });
    case 'AddProjectMember':
    case 'ChangeProjectMemberRole':
      return command(s.kind, { projectId, principal, role: s.projectRole });
    case 'RemoveProjectMembers':
      return command(s.kind, { projectId, principals: [principal] });
    case 'TransferOwnership':
      return command(s.kind, { projectId, to: principal });
    case 'DeleteProject':
      return command(s.kind, { projectId });
  }
}

async function history(store: EventStore): Promise<RecordedEvent[]> {
  const events: RecordedEvent[] = [];
  for await (const event of store.readAll()) events.push(event);
  return events;
}

describe('the access graph under random commands', () => {
  it('R8 R11 R19 R25 hold after every step, and every refused command appends nothing', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 30, maxLength: 80 }), async (steps) => {
        const store = new SqliteEventStore(':memory:');
        const executor = new CommandExecutor(store, 0);
        const world = newWorld();
        const trace = {
          organizationId: world.organizationId,
          actor: { type: 'user' as const, id: 'property' },
          correlationId: 'property',
          causationId: 'property',
        };
        try {
          const now = new Date().toISOString();
          await executor.execute(
            organizationAggregate,
            world.organizationId,
            {
              type: 'CreateOrganization',
              data: {
                organizationId: world.organizationId,
                name: 'Property',
                // R42: creating workspaces needs its entitlement.
                catalog: ['checks.read', 'truora.workspaces'],
                firstUser: world.users[0],
                defaultWorkspaceId: world.defaultWorkspaceId,
              },
              metadata: { actor: { type: 'support', id: 'support' }, now },
            },
            trace,
          );
          for (const s of steps) {
            const before = await store.headPosition();
            try {
              await executor.execute(
                organizationAggregate,
                world.organizationId,
                toCommand(world, s, now),
                trace,
              );
            } catch (error) {
              if (!(error instanceof DomainError)) throw error;
              expect(await store.headPosition()).toBe(before);
            }
            expect(brokenInvariants(foldOracle(await history(store)))).toEqual([]);
          }
        } finally {
          await store.close();
        }
      }),
      { numRuns: 200 },
    );
  });
});
