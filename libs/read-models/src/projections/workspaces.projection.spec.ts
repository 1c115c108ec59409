import { Collections, type WorkspaceDocument, type WorkspaceMemberDocument } from '../documents.js';
import { History, userActor } from './testing/history.js';

const usage = (history: History, workspaceId: string) =>
  history.doc<WorkspaceDocument>(Collections.workspaces, workspaceId)?.usage;
const membership = (history: History, workspaceId: string, userId: string) => {
  const document = history.doc<WorkspaceMemberDocument>(
    Collections.workspaceMembers,
    workspaceId,
    userId,
  );
  return document && { role: document.role, grantedVia: document.grantedVia };
};

function setUp(): History {
  const history = new History();
  history.member('u-alice', 'alice@acme.test');
  history.member('u-bob', 'bob@acme.test');
  history.member('u-carol', 'carol@acme.test');
  history.run('CreateGroup', { groupId: 'g-eng', name: 'Engineering' });
  history.run('CreateGroup', { groupId: 'g-ops', name: 'Ops' });
  history.run('AddGroupMembers', { groupId: 'g-eng', userIds: ['u-alice', 'u-bob'] });
  history.run('CreateWorkspace', {
    workspaceId: 'ws-1',
    name: 'Research',
    principals: [
      { principal: { type: 'user', id: 'u-alice' }, role: 'user' },
      { principal: { type: 'group', id: 'g-eng' }, role: 'editor' },
    ],
  });
  return history;
}

describe('workspaces projection', () => {
  it('R23 usage counts projects, dashboards, groups and distinct users, direct or through groups', () => {
    const history = setUp();
    // alice is there directly and through g-eng: counted once.
    expect(usage(history, 'ws-1')).toEqual({ projects: 0, dashboards: 0, groups: 1, users: 2 });
    history.run(
      'CreateProject',
      { projectId: 'p-1', workspaceId: 'ws-1', name: 'Alpha' },
      userActor('alice@acme.test'),
    );
    history.run(
      'CreateDashboard',
      { dashboardId: 'd-1', workspaceId: 'ws-1', name: 'Overview', projectIds: ['p-1'] },
      userActor('alice@acme.test'),
    );
    history.run('AddWorkspacePrincipal', {
      workspaceId: 'ws-1',
      principal: { type: 'group', id: 'g-ops' },
      role: 'member',
    });
    history.run('AddGroupMembers', { groupId: 'g-ops', userIds: ['u-carol', 'u-alice'] });
    expect(usage(history, 'ws-1')).toEqual({ projects: 1, dashboards: 1, groups: 2, users: 3 });
    history.run('RemoveGroupMember', { groupId: 'g-eng', userId: 'u-bob' });
    expect(usage(history, 'ws-1')?.users).toBe(2);
    history.run('DeleteGroup', { groupId: 'g-ops' });
    expect(usage(history, 'ws-1')).toEqual({ projects: 1, dashboards: 1, groups: 1, users: 1 });
    history.run('DeleteDashboard', { dashboardId: 'd-1' });
    history.run('DeleteProject', { projectId: 'p-1' });
    expect(usage(history, 'ws-1')).toEqual({ projects: 0, dashboards: 0, groups: 1, users: 1 });
  });

  it('R23 R9 the Default workspace counts every invited member (as user)', () => {
    const history = setUp();
    history.run('InviteMember', { userId: 'u-dave', email: 'dave@acme.test' });
    // admin, alice, bob, carol, dave.
    expect(usage(history, 'ws-default')?.users).toBe(5);
    expect(membership(history, 'ws-default', 'u-dave')).toEqual({
      role: 'user',
      grantedVia: ['direct'],
    });
    history.run('RemoveMember', { userId: 'u-dave' });
    expect(usage(history, 'ws-default')?.users).toBe(4);
  });

  it('R20 a workspace member holds the highest of their direct and group roles, with every path', () => {
    const history = setUp();
    expect(membership(history, 'ws-1', 'u-alice')).toEqual({
      role: 'editor',
      grantedVia: ['group:Engineering', 'direct'],
    });
    expect(membership(history, 'ws-1', 'u-bob')).toEqual({
      role: 'editor',
      grantedVia: ['group:Engineering'],
    });
    expect(membership(history, 'ws-1', 'u-carol')).toBeUndefined();
    history.run('RenameGroup', { groupId: 'g-eng', name: 'Platform' });
    history.run('ChangeWorkspacePrincipalRole', {
      workspaceId: 'ws-1',
      principal: { type: 'user', id: 'u-alice' },
      role: 'admin',
    });
    expect(membership(history, 'ws-1', 'u-alice')).toEqual({
      role: 'admin',
      grantedVia: ['direct', 'group:Platform'],
    });
    history.run('RemoveWorkspacePrincipal', {
      workspaceId: 'ws-1',
      principal: { type: 'group', id: 'g-eng' },
    });
    expect(membership(history, 'ws-1', 'u-bob')).toBeUndefined();
  });

  it('R18 directory groups bring workspace roles at sign-in and take them at the next', () => {
    const history = setUp();
    history.run('LinkDirectoryGroup', { groupId: 'g-dir', name: 'Dir', directoryGroupId: 'idp-1' });
    history.run('AddWorkspacePrincipal', {
      workspaceId: 'ws-1',
      principal: { type: 'group', id: 'g-dir' },
      role: 'member',
    });
    history.signIn('carol@acme.test', ['idp-1']);
    expect(membership(history, 'ws-1', 'u-carol')).toEqual({
      role: 'member',
      grantedVia: ['group:Dir'],
    });
    expect(usage(history, 'ws-1')?.users).toBe(3);
    history.signIn('carol@acme.test', []);
    expect(membership(history, 'ws-1', 'u-carol')).toBeUndefined();
    expect(usage(history, 'ws-1')?.users).toBe(2);
  });

  it('R20 a renamed workspace keeps its usage', () => {
    const history = setUp();
    history.run('RenameWorkspace', { workspaceId: 'ws-1', name: 'Lab' });
    expect(history.doc<WorkspaceDocument>(Collections.workspaces, 'ws-1')).toEqual({
      _id: 'acme:ws-1',
      organizationId: 'acme',
      workspaceId: 'ws-1',
      name: 'Lab',
      usage: { projects: 0, dashboards: 0, groups: 1, users: 2 },
    });
  });
});
