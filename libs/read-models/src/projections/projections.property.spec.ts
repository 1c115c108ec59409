import fc from 'fast-check';
import { DomainError, type Actor, type OrganizationCommand, type Principal } from '#libs/domain';
import { History, support, userActor } from './testing/history.js';
import { recomputed, snapshot } from './testing/test-projector.js';

/**
 * Random command sequences over small pools (so steps keep meeting the same users, groups,
 * workspaces and projects), decided by the real domain: after every event, the documents
 * projected event by event must equal those recomputed from the state.
 */
const USERS = ['u-admin', 'u-1', 'u-2', 'u-3'];
const emailOf = (userId: string) =>
  userId === 'u-admin' ? 'admin@acme.test' : `${userId}@acme.test`;
const GROUPS = ['g-1', 'g-2', 'g-dir'];
const WORKSPACES = ['ws-default', 'ws-1'];
const PROJECTS = ['p-1', 'p-2', 'p-3'];
const ROLES = ['full_access', 'default_access', 'r-1'];
const PERMISSIONS = ['checks.read', 'checks.write', 'truora.keys', 'reports.read'];

const KINDS = [
  ['InviteMember', 3],
  ['SignIn', 2],
  ['ChangeMemberRole', 2],
  ['DeactivateMember', 1],
  ['ReactivateMember', 1],
  ['RemoveMember', 2],
  ['CreateGroup', 2],
  ['LinkDirectoryGroup', 1],
  ['RenameGroup', 1],
  ['AddGroupMembers', 3],
  ['RemoveGroupMember', 1],
  ['DeleteGroup', 1],
  ['CreateWorkspace', 1],
  ['RenameWorkspace', 1],
  ['AddWorkspacePrincipal', 3],
  ['ChangeWorkspacePrincipalRole', 2],
  ['RemoveWorkspacePrincipal', 1],
  ['CreateProject', 2],
  ['AddProjectMember', 4],
  ['ChangeProjectMemberRole', 1],
  ['RemoveProjectMembers', 1],
  ['TransferOwnership', 2],
  ['DeleteProject', 1],
  ['CreateDashboard', 1],
  ['DeleteDashboard', 1],
  ['CreateRole', 1],
  ['UpdateRole', 1],
  ['DeleteRole', 1],
  ['AddCatalogPermissions', 1],
  ['RemoveCatalogPermissions', 1],
  ['IssueApiKey', 2],
  ['RevokeApiKey', 1],
] as const;

const step = fc.record({
  kind: fc.oneof(...KINDS.map(([kind, weight]) => ({ arbitrary: fc.constant(kind), weight }))),
  actor: fc.oneof({ arbitrary: fc.constant(0), weight: 4 }, { arbitrary: fc.nat(3), weight: 1 }),
  user: fc.nat(USERS.length - 1),
  group: fc.nat(GROUPS.length - 1),
  workspace: fc.nat(WORKSPACES.length - 1),
  project: fc.nat(PROJECTS.length - 1),
  role: fc.nat(ROLES.length - 1),
  permissions: fc.subarray(PERMISSIONS),
  principalIsGroup: fc.boolean(),
  claims: fc.subarray(['idp-dir', 'idp-other']),
  workspaceRole: fc.constantFrom('member', 'user', 'editor', 'admin'),
  projectRole: fc.constantFrom('viewer', 'user'),
  name: fc.constantFrom('Alpha', 'Beta'),
  n: fc.nat(99),
});
type Step = typeof step extends fc.Arbitrary<infer T> ? T : never;

function toCommand(s: Step): { type: OrganizationCommand['type']; data: object; actor: Actor } {
  const userId = USERS[s.user];
  const actorEmail = emailOf(USERS[s.actor]);
  const actor: Actor = userActor(actorEmail, s.claims);
  const groupId = GROUPS[s.group];
  const workspaceId = WORKSPACES[s.workspace];
  const projectId = PROJECTS[s.project];
  const principal: Principal = s.principalIsGroup
    ? { type: 'group', id: groupId }
    : { type: 'user', id: userId };
  const c = (type: OrganizationCommand['type'], data: object, by: Actor = actor) => ({
    type,
    data,
    actor: by,
  });
  switch (s.kind) {
    case 'InviteMember':
      return c(s.kind, { userId, email: emailOf(userId), roleId: ROLES[s.role] });
    case 'SignIn':
      return c(s.kind, { subject: `sub-${actorEmail}`, email: actorEmail, groups: s.claims });
    case 'ChangeMemberRole':
      return c(s.kind, { userId, roleId: ROLES[s.role] });
    case 'DeactivateMember':
    case 'ReactivateMember':
    case 'RemoveMember':
      return c(s.kind, { userId });
    case 'CreateGroup':
      return c(s.kind, { groupId, name: `${s.name} ${s.n}` });
    case 'LinkDirectoryGroup':
      return c(s.kind, { groupId, name: `Dir ${s.n}`, directoryGroupId: s.claims[0] ?? 'idp-dir' });
    case 'RenameGroup':
      return c(s.kind, { groupId, name: `${s.name} ${s.n}` });
    case 'AddGroupMembers':
      return c(s.kind, { groupId, userIds: [userId] });
    case 'RemoveGroupMember':
      return c(s.kind, { groupId, userId });
    case 'DeleteGroup':
      return c(s.kind, { groupId });
    case 'CreateWorkspace':
      return c(s.kind, {
        workspaceId,
        name: `${s.name} ${s.n}`,
        principals: [{ principal, role: s.workspaceRole }],
      });
    case 'RenameWorkspace':
      return c(s.kind, { workspaceId, name: `${s.name} ${s.n}` });
    case 'AddWorkspacePrincipal':
    case 'ChangeWorkspacePrincipalRole':
      return c(s.kind, { workspaceId, principal, role: s.workspaceRole });
    case 'RemoveWorkspacePrincipal':
      return c(s.kind, { workspaceId, principal });
    case 'CreateProject':
      return c(s.kind, { projectId, workspaceId, name: `${s.name} ${s.n}` });
    case 'AddProjectMember':
    case 'ChangeProjectMemberRole':
      return c(s.kind, { projectId, principal, role: s.projectRole });
    case 'RemoveProjectMembers':
      return c(s.kind, { projectId, principals: [principal] });
    case 'TransferOwnership':
      return c(s.kind, { projectId, to: principal });
    case 'DeleteProject':
      return c(s.kind, { projectId });
    case 'CreateDashboard':
      return c(s.kind, {
        dashboardId: `d-${s.project}`,
        workspaceId,
        name: s.name,
        projectIds: [projectId],
      });
    case 'DeleteDashboard':
      return c(s.kind, { dashboardId: `d-${s.project}` });
    case 'CreateRole':
    case 'UpdateRole':
      return c(s.kind, { roleId: 'r-1', name: `${s.name} ${s.n}`, permissions: s.permissions });
    case 'DeleteRole':
      return c(s.kind, { roleId: 'r-1' });
    case 'AddCatalogPermissions':
    case 'RemoveCatalogPermissions':
      return c(s.kind, { permissions: s.permissions }, support);
    case 'IssueApiKey':
      return c(s.kind, {
        keyId: `k-${s.n}`,
        name: 'key',
        secretHash: `hash-${s.n}`,
        secretPrefix: `al_${s.n}`,
      });
    case 'RevokeApiKey':
      return c(s.kind, { keyId: `k-${s.n}` });
  }
}

describe('projections under random commands', () => {
  it('R23 R28 R30 R4 R11 R15 R19 incremental documents equal the recomputation from the state after every event', () => {
    let accepted = 0;
    fc.assert(
      fc.property(fc.array(step, { minLength: 20, maxLength: 70 }), (steps) => {
        const history = new History('acme', { userId: 'u-admin', email: 'admin@acme.test' }, [
          'checks.read',
          'truora.directory',
          'truora.roles',
          'truora.workspaces',
        ]);
        // A populated start, so that random steps are mostly accepted.
        for (const userId of USERS.slice(1)) history.member(userId, emailOf(userId));
        history.run('CreateGroup', { groupId: 'g-1', name: 'One' });
        history.run('LinkDirectoryGroup', {
          groupId: 'g-dir',
          name: 'Dir',
          directoryGroupId: 'idp-dir',
        });
        history.run('CreateWorkspace', { workspaceId: 'ws-1', name: 'One', principals: [] });
        let failure: string | undefined;
        history.afterEach = (event) => {
          if (failure) return;
          const incremental = JSON.stringify(snapshot(history.projector.collections));
          const oracle = JSON.stringify(snapshot(recomputed(history.state)));
          if (incremental !== oracle) failure = `${event.type} ${JSON.stringify(event.data)}`;
        };
        for (const s of steps) {
          const { type, data, actor } = toCommand(s);
          try {
            history.run(type, data as never, actor);
            accepted += 1;
          } catch (error) {
            if (!(error instanceof DomainError)) throw error;
          }
          if (failure) break;
        }
        if (failure) {
          // Shown with the shrunk counterexample.
          expect(snapshot(history.projector.collections)).toEqual(
            snapshot(recomputed(history.state)),
          );
        }
        return failure === undefined;
      }),
      { numRuns: 300 },
    );
    // The sequences must reach deep states, not mostly refusals.
    expect(accepted).toBeGreaterThan(300 * 8);
  });
});
