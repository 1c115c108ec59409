import type { OrganizationEvent } from '#libs/domain';
import { History, support, userActor } from './history.js';

export const PEOPLE = {
  alice: { userId: 'u-alice', email: 'alice@acme.test' },
  bob: { userId: 'u-bob', email: 'Bob@Acme.test' },
  carol: { userId: 'u-carol', email: 'carol@acme.test' },
  dave: { userId: 'u-dave', email: 'dave@acme.test' },
  erin: { userId: 'u-erin', email: 'erin@acme.test' },
} as const;

/** Every event type of the organization aggregate, to check a history covers them. */
export const EVENT_TYPES: readonly OrganizationEvent['type'][] = [
  'OrganizationCreated',
  'CatalogPermissionsAdded',
  'CatalogPermissionsRemoved',
  'RoleCreated',
  'RoleUpdated',
  'RoleDeleted',
  'MemberInvited',
  'MemberActivated',
  'MemberRoleChanged',
  'MemberDeactivated',
  'MemberReactivated',
  'MemberRemoved',
  'ApiKeyIssued',
  'ApiKeyRevoked',
  'GroupCreated',
  'GroupRenamed',
  'GroupDeleted',
  'GroupMembersAdded',
  'GroupMemberRemoved',
  'DirectoryGroupLinked',
  'DirectoryMembershipSynced',
  'WorkspaceCreated',
  'WorkspaceRenamed',
  'WorkspacePrincipalAdded',
  'WorkspacePrincipalRoleChanged',
  'WorkspacePrincipalRemoved',
  'ProjectCreated',
  'ProjectMemberAdded',
  'ProjectMemberRoleChanged',
  'ProjectMembersRemoved',
  'OwnershipTransferred',
  'ProjectDeleted',
  'DashboardCreated',
  'DashboardDeleted',
];

/**
 * A history through every event type, renames, deletions and both cascades (R11, R19), made
 * of real commands. `check` runs after every event (and `step` names the command running).
 */
export function richHistory(check?: (history: History, step: string) => void): History {
  const history = new History();
  let step = 'CreateOrganization';
  const { alice, bob, carol, dave, erin } = PEOPLE;
  const as = (person: { email: string }) => userActor(person.email);
  const run: History['run'] = (type, data, actor) => {
    step = type;
    return history.run(type, data, actor);
  };
  history.afterEach = () => check?.(history, step);
  check?.(history, step);

  run('AddCatalogPermissions', { permissions: ['reports.read', 'truora.roles'] }, support);
  run('CreateRole', {
    roleId: 'r-analyst',
    name: 'Analyst',
    permissions: ['checks.read', 'reports.read'],
  });
  history.member(alice.userId, alice.email);
  history.member(bob.userId, bob.email, 'r-analyst');
  history.member(carol.userId, carol.email);
  history.member(dave.userId, dave.email);
  run('InviteMember', { userId: erin.userId, email: erin.email });

  // dave, made an org admin, issues a key, then is demoted: his key now exceeds him.
  run('ChangeMemberRole', { userId: dave.userId, roleId: 'full_access' });
  run(
    'IssueApiKey',
    { keyId: 'k-dave', name: 'dave key', secretHash: 'hash-dave', secretPrefix: 'al_dave' },
    as(dave),
  );
  run('IssueApiKey', {
    keyId: 'k-admin',
    name: 'admin key',
    secretHash: 'hash-admin',
    secretPrefix: 'al_admi',
    expiresAt: '2027-01-01T00:00:00.000Z',
  });
  run('ChangeMemberRole', { userId: dave.userId, roleId: 'default_access' });

  run('CreateGroup', { groupId: 'g-eng', name: 'Engineering' });
  run('AddGroupMembers', { groupId: 'g-eng', userIds: [alice.userId, carol.userId] });
  run('LinkDirectoryGroup', { groupId: 'g-dir', name: 'Directory', directoryGroupId: 'idp-1' });
  history.signIn(carol.email, ['idp-1']);
  history.signIn(bob.email, ['idp-1']);

  run('CreateWorkspace', {
    workspaceId: 'ws-1',
    name: 'Research',
    principals: [
      { principal: { type: 'user', id: alice.userId }, role: 'user' },
      { principal: { type: 'group', id: 'g-eng' }, role: 'editor' },
    ],
  });
  run('AddWorkspacePrincipal', {
    workspaceId: 'ws-1',
    principal: { type: 'user', id: bob.userId },
    role: 'member',
  });
  run('ChangeWorkspacePrincipalRole', {
    workspaceId: 'ws-1',
    principal: { type: 'user', id: bob.userId },
    role: 'admin',
  });

  run('CreateProject', { projectId: 'p-1', workspaceId: 'ws-1', name: 'Alpha' }, as(alice));
  run('AddProjectMember', { projectId: 'p-1', principal: { type: 'user', id: dave.userId } });
  run('AddProjectMember', {
    projectId: 'p-1',
    principal: { type: 'group', id: 'g-dir' },
    role: 'user',
  });
  run('ChangeProjectMemberRole', {
    projectId: 'p-1',
    principal: { type: 'user', id: dave.userId },
    role: 'user',
  });
  run('CreateProject', { projectId: 'p-2', workspaceId: 'ws-1', name: 'Beta' }, as(alice));
  run('AddProjectMember', { projectId: 'p-2', principal: { type: 'group', id: 'g-eng' } });
  run('TransferOwnership', { projectId: 'p-2', to: { type: 'group', id: 'g-eng' } }, as(alice));
  run('CreateProject', { projectId: 'p-3', workspaceId: 'ws-default', name: 'Gamma' });
  run('AddProjectMember', { projectId: 'p-3', principal: { type: 'user', id: erin.userId } });

  run(
    'CreateDashboard',
    { dashboardId: 'd-1', workspaceId: 'ws-1', name: 'Overview', projectIds: ['p-1', 'p-2'] },
    as(alice),
  );
  run('CreateDashboard', {
    dashboardId: 'd-2',
    workspaceId: 'ws-1',
    name: 'Scratch',
    projectIds: ['p-1'],
  });
  run('DeleteDashboard', { dashboardId: 'd-2' });

  // Renames: names are denormalised on members, workspace members and project rows.
  run('RenameGroup', { groupId: 'g-eng', name: 'Eng' });
  run('RenameWorkspace', { workspaceId: 'ws-1', name: 'Research Lab' });
  run('UpdateRole', { roleId: 'r-analyst', name: 'Analysts' });

  // R4: the catalog loses a permission, custom roles with it (RoleUpdated), keys in effect.
  run('RemoveCatalogPermissions', { permissions: ['reports.read'] }, support);
  run('DeactivateMember', { userId: bob.userId });
  run('ReactivateMember', { userId: bob.userId });
  run('RemoveGroupMember', { groupId: 'g-eng', userId: carol.userId });
  history.signIn(carol.email, []);
  run('RevokeApiKey', { keyId: 'k-admin' });
  run('RemoveWorkspacePrincipal', {
    workspaceId: 'ws-1',
    principal: { type: 'user', id: bob.userId },
  });
  run('RemoveProjectMembers', {
    projectId: 'p-1',
    principals: [{ type: 'user', id: dave.userId }],
  });

  // R19: deleting a group takes its roles with it.
  run('DeleteGroup', { groupId: 'g-dir' });
  // R11: removing a member (after their project is gone) cascades; the issuer's key stays.
  run('DeleteProject', { projectId: 'p-1' });
  run('RemoveMember', { userId: alice.userId });
  run('RemoveMember', { userId: dave.userId });
  run('CreateRole', { roleId: 'r-temp', name: 'Temp', permissions: ['checks.read'] });
  run('DeleteRole', { roleId: 'r-temp' });
  return history;
}
