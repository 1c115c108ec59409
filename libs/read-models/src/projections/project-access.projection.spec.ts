import {
  Collections,
  type MemberDocument,
  type ProjectAccessDocument,
  type WorkspaceMemberDocument,
} from '../documents.js';
import { History, support, userActor } from './testing/history.js';

/** The row as every read serves it: stored, or implied for org admins and workspace editors. */
const rowOf = (history: History, projectId: string, userId: string) =>
  history.projectAccessRow(projectId, userId);
const storedRowOf = (history: History, projectId: string, userId: string) =>
  history.doc<ProjectAccessDocument>(Collections.projectAccess, projectId, userId);
const access = (history: History, projectId: string, userId: string) => {
  const row = rowOf(history, projectId, userId);
  return row && { role: row.role, grantedVia: row.grantedVia };
};

/** alice owns p-1 in ws-1; bob, carol, dave are plain members; g-eng holds carol. */
function setUp(): History {
  const history = new History();
  history.member('u-alice', 'alice@acme.test');
  history.member('u-bob', 'bob@acme.test');
  history.member('u-carol', 'carol@acme.test');
  history.member('u-dave', 'dave@acme.test');
  history.run('CreateGroup', { groupId: 'g-eng', name: 'Engineering' });
  history.run('CreateGroup', { groupId: 'g-ops', name: 'Ops' });
  history.run('AddGroupMembers', { groupId: 'g-eng', userIds: ['u-carol'] });
  history.run('CreateWorkspace', {
    workspaceId: 'ws-1',
    name: 'Research',
    principals: [{ principal: { type: 'user', id: 'u-alice' }, role: 'user' }],
  });
  history.run(
    'CreateProject',
    { projectId: 'p-1', workspaceId: 'ws-1', name: 'Alpha' },
    userActor('alice@acme.test'),
  );
  return history;
}

describe('project access projection', () => {
  it('R28 the owner is owner directly, and a member without any path has no row', () => {
    const history = setUp();
    expect(access(history, 'p-1', 'u-alice')).toEqual({ role: 'owner', grantedVia: ['direct'] });
    expect(rowOf(history, 'p-1', 'u-dave')).toBeUndefined();
  });

  it('R28 owner through a group that owns the project', () => {
    const history = setUp();
    history.run('AddProjectMember', {
      projectId: 'p-1',
      principal: { type: 'group', id: 'g-eng' },
    });
    history.run(
      'TransferOwnership',
      { projectId: 'p-1', to: { type: 'group', id: 'g-eng' } },
      userActor('alice@acme.test'),
    );
    expect(access(history, 'p-1', 'u-carol')).toEqual({
      role: 'owner',
      grantedVia: ['group:Engineering'],
    });
    // R25: the previous owner becomes user.
    expect(access(history, 'p-1', 'u-alice')).toEqual({ role: 'user', grantedVia: ['direct'] });
  });

  it('R28 the highest of the direct role and the groups roles; R30 every path listed, the effective one first', () => {
    const history = setUp();
    history.run('AddGroupMembers', { groupId: 'g-ops', userIds: ['u-carol'] });
    history.run('AddProjectMember', {
      projectId: 'p-1',
      principal: { type: 'user', id: 'u-carol' },
      role: 'viewer',
    });
    history.run('AddProjectMember', {
      projectId: 'p-1',
      principal: { type: 'group', id: 'g-ops' },
      role: 'user',
    });
    history.run('AddProjectMember', {
      projectId: 'p-1',
      principal: { type: 'group', id: 'g-eng' },
      role: 'viewer',
    });
    expect(access(history, 'p-1', 'u-carol')).toEqual({
      role: 'user',
      grantedVia: ['group:Ops', 'direct', 'group:Engineering'],
    });
  });

  it('R28 viewer for workspace editors and admins, directly or through a group; R30 workspace:<role>', () => {
    const history = setUp();
    history.run('AddWorkspacePrincipal', {
      workspaceId: 'ws-1',
      principal: { type: 'user', id: 'u-bob' },
      role: 'admin',
    });
    history.run('AddWorkspacePrincipal', {
      workspaceId: 'ws-1',
      principal: { type: 'group', id: 'g-eng' },
      role: 'editor',
    });
    expect(access(history, 'p-1', 'u-bob')).toEqual({
      role: 'viewer',
      grantedVia: ['workspace:admin'],
    });
    expect(access(history, 'p-1', 'u-carol')).toEqual({
      role: 'viewer',
      grantedVia: ['workspace:editor'],
    });
    // Workspace users and members see no project by that role alone (R22).
    history.run('ChangeWorkspacePrincipalRole', {
      workspaceId: 'ws-1',
      principal: { type: 'user', id: 'u-bob' },
      role: 'user',
    });
    expect(rowOf(history, 'p-1', 'u-bob')).toBeUndefined();
    // R19: leaving the group takes the group's path away.
    history.run('RemoveGroupMember', { groupId: 'g-eng', userId: 'u-carol' });
    expect(rowOf(history, 'p-1', 'u-carol')).toBeUndefined();
  });

  it('R28 viewer for org admins, on every project; R30 org_admin; gone when the role or the status goes', () => {
    const history = setUp();
    const admin = history.admin.userId;
    expect(access(history, 'p-1', admin)).toEqual({ role: 'viewer', grantedVia: ['org_admin'] });
    history.run('ChangeMemberRole', { userId: 'u-dave', roleId: 'full_access' });
    expect(access(history, 'p-1', 'u-dave')).toEqual({ role: 'viewer', grantedVia: ['org_admin'] });
    history.run('DeactivateMember', { userId: 'u-dave' });
    expect(rowOf(history, 'p-1', 'u-dave')).toBeUndefined();
    history.run('ReactivateMember', { userId: 'u-dave' });
    expect(rowOf(history, 'p-1', 'u-dave')?.status).toBe('active');
    history.run('ChangeMemberRole', { userId: 'u-dave', roleId: 'default_access' });
    expect(rowOf(history, 'p-1', 'u-dave')).toBeUndefined();
  });

  it('R30 rows carry the member details and names, kept in step with renames', () => {
    const history = setUp();
    history.run('AddGroupMembers', { groupId: 'g-eng', userIds: ['u-bob'] });
    history.run('AddProjectMember', {
      projectId: 'p-1',
      principal: { type: 'group', id: 'g-eng' },
    });
    history.run('RenameGroup', { groupId: 'g-eng', name: 'Platform' });
    history.run('RenameWorkspace', { workspaceId: 'ws-1', name: 'Research Lab' });
    history.run('AddCatalogPermissions', { permissions: ['truora.roles'] }, support);
    history.run('CreateRole', { roleId: 'r-1', name: 'Analyst', permissions: ['checks.read'] });
    history.run('ChangeMemberRole', { userId: 'u-bob', roleId: 'r-1' });
    history.run('UpdateRole', { roleId: 'r-1', name: 'Analysts' });
    expect(rowOf(history, 'p-1', 'u-bob')).toEqual({
      _id: 'acme:p-1:u-bob',
      organizationId: 'acme',
      projectId: 'p-1',
      projectName: 'Alpha',
      workspaceId: 'ws-1',
      workspaceName: 'Research Lab',
      userId: 'u-bob',
      email: 'bob@acme.test',
      status: 'active',
      orgRole: 'Analysts',
      role: 'viewer',
      grantedVia: ['group:Platform'],
      manages: false,
    });
  });

  it('R11 a removed member leaves no row, no workspace membership and no member document', () => {
    const history = setUp();
    history.run('AddGroupMembers', { groupId: 'g-eng', userIds: ['u-bob'] });
    history.run('AddProjectMember', { projectId: 'p-1', principal: { type: 'user', id: 'u-bob' } });
    history.run('AddWorkspacePrincipal', {
      workspaceId: 'ws-1',
      principal: { type: 'user', id: 'u-bob' },
      role: 'editor',
    });
    expect(rowOf(history, 'p-1', 'u-bob')).toBeDefined();
    history.run('RemoveMember', { userId: 'u-bob' });
    expect(rowOf(history, 'p-1', 'u-bob')).toBeUndefined();
    expect(
      history.doc<WorkspaceMemberDocument>(Collections.workspaceMembers, 'ws-1', 'u-bob'),
    ).toBeUndefined();
    expect(history.doc<MemberDocument>(Collections.members, 'u-bob')).toBeUndefined();
  });

  it('R19 deleting a group takes its project roles from its members', () => {
    const history = setUp();
    history.run('AddProjectMember', {
      projectId: 'p-1',
      principal: { type: 'group', id: 'g-eng' },
      role: 'user',
    });
    expect(access(history, 'p-1', 'u-carol')?.role).toBe('user');
    history.run('DeleteGroup', { groupId: 'g-eng' });
    expect(rowOf(history, 'p-1', 'u-carol')).toBeUndefined();
  });

  it('R27 a deleted project has no rows', () => {
    const history = setUp();
    history.run('AddProjectMember', { projectId: 'p-1', principal: { type: 'user', id: 'u-bob' } });
    history.run('DeleteProject', { projectId: 'p-1' });
    expect(
      [...history.projector.documents(Collections.projectAccess).values()].filter(
        (row) => row.projectId === 'p-1',
      ),
    ).toEqual([]);
    // Nor does any read imply one for the org admin.
    expect(rowOf(history, 'p-1', history.admin.userId)).toBeUndefined();
  });

  it('typical events touch only their slice: an invitation changes no row; a project member added changes one', () => {
    const history = withProjects(setUp());
    expect(
      changesOf(history, () =>
        history.run('InviteMember', { userId: 'u-new', email: 'new@acme.test' }),
      ),
    ).toEqual([]);
    expect(
      changesOf(history, () =>
        history.run('AddProjectMember', {
          projectId: 'p-x3',
          principal: { type: 'user', id: 'u-bob' },
        }),
      ),
    ).toEqual(['put']);
    expect(
      changesOf(history, () =>
        history.run('AddGroupMembers', { groupId: 'g-ops', userIds: ['u-dave'] }),
      ),
    ).toEqual([]);
  });

  it("R28 a promotion to full_access and back rewrites only the rows of the projects the member holds a role on; the org-admin rows are the engine's", () => {
    const history = withProjects(setUp());
    history.run('AddProjectMember', {
      projectId: 'p-x3',
      principal: { type: 'user', id: 'u-bob' },
      role: 'user',
    });
    const promote = () =>
      history.run('ChangeMemberRole', { userId: 'u-bob', roleId: 'full_access' });
    expect(changesOf(history, promote)).toEqual(['put']);
    // Every project answers as an org admin's, though only the member's own row is stored.
    expect(access(history, 'p-x3', 'u-bob')).toEqual({
      role: 'user',
      grantedVia: ['direct', 'org_admin'],
    });
    expect(rowOf(history, 'p-x3', 'u-bob')?.manages).toBe(true);
    for (const projectId of ['p-1', 'p-x0', 'p-x19']) {
      expect(access(history, projectId, 'u-bob')).toEqual({
        role: 'viewer',
        grantedVia: ['org_admin'],
      });
      expect(rowOf(history, projectId, 'u-bob')?.orgRole).toBe('full_access');
      expect(storedRowOf(history, projectId, 'u-bob')).toBeUndefined();
    }
    const demote = () =>
      history.run('ChangeMemberRole', { userId: 'u-bob', roleId: 'default_access' });
    expect(changesOf(history, demote)).toEqual(['put']);
    expect(access(history, 'p-x3', 'u-bob')).toEqual({ role: 'user', grantedVia: ['direct'] });
    expect(rowOf(history, 'p-x0', 'u-bob')).toBeUndefined();
  });

  it('R22 R28 a workspace editor stores no row on the projects they hold no role on; the engine answers them', () => {
    const history = withProjects(setUp());
    const grant = () =>
      history.run('AddWorkspacePrincipal', {
        workspaceId: 'ws-default',
        principal: { type: 'group', id: 'g-eng' },
        role: 'admin',
      });
    expect(changesOf(history, grant)).toEqual([]);
    expect(rowOf(history, 'p-x5', 'u-carol')).toMatchObject({
      role: 'viewer',
      grantedVia: ['workspace:admin'],
      manages: true,
      workspaceId: 'ws-default',
    });
    // A role on the project itself is stored, with the workspace path beside it.
    history.run('AddProjectMember', {
      projectId: 'p-x5',
      principal: { type: 'user', id: 'u-carol' },
      role: 'user',
    });
    expect(storedRowOf(history, 'p-x5', 'u-carol')).toMatchObject({
      role: 'user',
      grantedVia: ['direct', 'workspace:admin'],
      manages: true,
    });
    // Leaving the group takes the workspace path from the stored row too.
    history.run('RemoveGroupMember', { groupId: 'g-eng', userId: 'u-carol' });
    expect(access(history, 'p-x5', 'u-carol')).toEqual({ role: 'user', grantedVia: ['direct'] });
    expect(rowOf(history, 'p-x6', 'u-carol')).toBeUndefined();
  });
});

/** 20 more projects, in the Default workspace. */
function withProjects(history: History): History {
  for (let i = 0; i < 20; i++) {
    history.run('CreateProject', {
      projectId: `p-x${i}`,
      workspaceId: 'ws-default',
      name: `X${i}`,
    });
  }
  return history;
}

/** The kinds of project_access changes the events of `run` make. */
function changesOf(history: History, run: () => void): string[] {
  const changes: string[] = [];
  const original = history.projector.handle.bind(history.projector);
  history.projector.handle = (event) => {
    const recorded = original(event);
    for (const change of history.projector.lastChanges) {
      if (change.collection === Collections.projectAccess) changes.push(change.type);
    }
    return recorded;
  };
  try {
    run();
  } finally {
    history.projector.handle = original;
  }
  return changes;
}
