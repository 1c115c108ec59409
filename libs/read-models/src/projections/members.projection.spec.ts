import { Collections, type GroupDocument, type MemberDocument } from '../documents.js';
import { History, support } from './testing/history.js';

const member = (history: History, userId: string) =>
  history.doc<MemberDocument>(Collections.members, userId);
const group = (history: History, groupId: string) =>
  history.doc<GroupDocument>(Collections.groups, groupId);

describe('members and groups projections', () => {
  it('R9 R7 a member document follows invitation, sign-in, role, status and removal', () => {
    const history = new History();
    history.run('InviteMember', { userId: 'u-bob', email: 'Bob@Acme.test' });
    expect(member(history, 'u-bob')).toEqual({
      _id: 'acme:u-bob',
      organizationId: 'acme',
      userId: 'u-bob',
      email: 'Bob@Acme.test',
      emailKey: 'bob@acme.test',
      subject: null,
      issuer: null,
      identityKey: null,
      status: 'invited',
      roleId: 'default_access',
      roleName: 'default_access',
      groupIds: [],
    });
    history.signIn('Bob@Acme.test');
    // S5: bound to the identity of the first sign-in (the fixture's actor has no issuer).
    expect(member(history, 'u-bob')).toMatchObject({
      status: 'active',
      subject: 'sub-Bob@Acme.test',
      issuer: null,
      identityKey: '[null,"sub-Bob@Acme.test"]',
    });
    history.run('AddCatalogPermissions', { permissions: ['truora.roles'] }, support);
    history.run('CreateRole', { roleId: 'r-1', name: 'Analyst', permissions: ['checks.read'] });
    history.run('ChangeMemberRole', { userId: 'u-bob', roleId: 'r-1' });
    history.run('UpdateRole', { roleId: 'r-1', name: 'Analysts' });
    expect(member(history, 'u-bob')).toMatchObject({ roleId: 'r-1', roleName: 'Analysts' });
    history.run('DeactivateMember', { userId: 'u-bob' });
    expect(member(history, 'u-bob')?.status).toBe('deactivated');
    history.run('ReactivateMember', { userId: 'u-bob' });
    expect(member(history, 'u-bob')?.status).toBe('active');
    history.run('RemoveMember', { userId: 'u-bob' });
    expect(member(history, 'u-bob')).toBeUndefined();
  });

  it('R17 R18 R19 groups list their members, and members their groups, through renames and deletion', () => {
    const history = new History();
    history.member('u-bob', 'bob@acme.test');
    history.run('CreateGroup', { groupId: 'g-eng', name: 'Engineering' });
    history.run('LinkDirectoryGroup', { groupId: 'g-dir', name: 'Dir', directoryGroupId: 'idp-1' });
    history.run('AddGroupMembers', { groupId: 'g-eng', userIds: ['u-bob', 'u-admin'] });
    history.signIn('bob@acme.test', ['idp-1']);
    expect(member(history, 'u-bob')?.groupIds).toEqual(['g-dir', 'g-eng']);
    expect(group(history, 'g-dir')).toEqual({
      _id: 'acme:g-dir',
      organizationId: 'acme',
      groupId: 'g-dir',
      name: 'Dir',
      kind: 'directory',
      directoryGroupId: 'idp-1',
      memberIds: ['u-bob'],
    });
    history.run('RenameGroup', { groupId: 'g-eng', name: 'Platform' });
    expect(group(history, 'g-eng')).toMatchObject({
      name: 'Platform',
      kind: 'manual',
      directoryGroupId: null,
      memberIds: ['u-bob', 'u-admin'],
    });
    history.run('DeleteGroup', { groupId: 'g-eng' });
    expect(group(history, 'g-eng')).toBeUndefined();
    expect(member(history, 'u-bob')?.groupIds).toEqual(['g-dir']);
    expect(member(history, 'u-admin')?.groupIds).toEqual([]);
  });
});
