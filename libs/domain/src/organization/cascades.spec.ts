import { organizationDecider } from './organization.decider.js';
import { DeciderSpecification } from '../testing/decider-specification.js';
import { ADMIN, command, stateOf, support } from '../testing/organization.fixtures.js';
import {
  DEFAULT_WS,
  directoryGroupLinked,
  ENG,
  groupCreated,
  groupMembersAdded,
  groupP,
  MEMBERS,
  projectCreated,
  projectMemberAdded,
  userP,
  workspacePrincipalAdded,
  world,
  WS,
} from '../testing/access-graph.fixtures.js';
import {
  effectiveProjectRole,
  visibleWorkspaces,
  workspaceRoleOf,
} from '../testing/access-answers.js';
import type { OrganizationEvent } from './organization.events.js';

const given = DeciderSpecification.for(organizationDecider);
const { alice, bob, carol, dave } = MEMBERS;

/** bob holds a bit of everything he can lose: groups, workspace roles, project memberships. */
const bobEverywhere = (): OrganizationEvent[] => [
  ...world(),
  groupMembersAdded(ENG, [bob]),
  directoryGroupLinked('g-dir', 'idp-1'),
  { type: 'DirectoryMembershipSynced', data: { userId: bob, joined: ['g-dir'], left: [] } },
  workspacePrincipalAdded(DEFAULT_WS, userP(bob), 'user'),
  projectMemberAdded('p-2', userP(bob), 'user'),
];

describe('cascades', () => {
  it('R11 removing a member removes them from every group, workspace and project, each caused by MemberRemoved', () => {
    given(bobEverywhere())
      .when(command('RemoveMember', { userId: bob }))
      .then([
        { type: 'MemberRemoved', data: { userId: bob } },
        { type: 'GroupMemberRemoved', data: { groupId: 'g-dir', userId: bob }, causedBy: 0 },
        { type: 'GroupMemberRemoved', data: { groupId: ENG, userId: bob }, causedBy: 0 },
        {
          type: 'WorkspacePrincipalRemoved',
          data: { workspaceId: WS, principal: userP(bob) },
          causedBy: 0,
        },
        {
          type: 'WorkspacePrincipalRemoved',
          data: { workspaceId: DEFAULT_WS, principal: userP(bob) },
          causedBy: 0,
        },
        {
          type: 'ProjectMembersRemoved',
          data: { projectId: 'p-1', principals: [userP(bob)] },
          causedBy: 0,
        },
        {
          type: 'ProjectMembersRemoved',
          data: { projectId: 'p-2', principals: [userP(bob)] },
          causedBy: 0,
        },
      ]);
  });

  it('R11 every cascade event points at MemberRemoved, and afterwards the member is in no index', () => {
    const events = organizationDecider.decide(
      command('RemoveMember', { userId: bob }),
      stateOf(bobEverywhere()),
    );
    expect(events[0]?.type).toBe('MemberRemoved');
    expect(events.slice(1).every((event) => event.causedBy === 0)).toBe(true);
    const state = stateOf([...bobEverywhere(), ...events]);
    expect(state.groupsByUser.has(bob)).toBe(false);
    expect(state.groups.get(ENG)?.members.has(bob)).toBe(false);
    expect(state.workspacesByPrincipal.has(`user:${bob}`)).toBe(false);
    expect(state.projectsByPrincipal.has(`user:${bob}`)).toBe(false);
    expect(state.projects.get('p-1')?.members.has(`user:${bob}`)).toBe(false);
    expect(visibleWorkspaces(state, bob)).toEqual([]);
    expect(effectiveProjectRole(state, bob, 'p-1')).toBeUndefined();
  });

  it('R11 refuses removing the sole owner of a live project, listing the projects', () => {
    given([...world(), projectCreated('p-0', WS, userP(alice))])
      .when(command('RemoveMember', { userId: alice }))
      .thenThrows('MEMBER_OWNS_PROJECTS', (e) => {
        expect(e.kind).toBe('conflict');
        expect(e.details).toEqual({ userId: alice, projectIds: ['p-0', 'p-1'] });
        expect(e.message).toContain('p-0, p-1');
        expect(e.message).toContain('transfer');
      });
  });

  it('R11 a member of an owner group is not its owner: removing them leaves the group owning the project', () => {
    const [removed, ...rest] = given(world())
      .when(command('RemoveMember', { userId: carol }))
      .then([
        { type: 'MemberRemoved', data: { userId: carol } },
        { type: 'GroupMemberRemoved', data: { groupId: ENG, userId: carol }, causedBy: 0 },
      ]);
    const state = stateOf([...world(), removed!, ...rest]);
    expect(state.projects.get('p-2')?.owner).toEqual(groupP(ENG));
  });

  it('R11 after transferring ownership, the former owner can be removed', () => {
    const events = [
      ...world(),
      {
        type: 'OwnershipTransferred' as const,
        data: { projectId: 'p-1', from: userP(alice), to: userP(bob) },
      },
    ];
    given(events)
      .when(command('RemoveMember', { userId: alice }))
      .then([
        { type: 'MemberRemoved', data: { userId: alice } },
        {
          type: 'WorkspacePrincipalRemoved',
          data: { workspaceId: WS, principal: userP(alice) },
          causedBy: 0,
        },
        {
          type: 'ProjectMembersRemoved',
          data: { projectId: 'p-1', principals: [userP(alice)] },
          causedBy: 0,
        },
      ]);
  });

  it('R11 R8 the last admin is still protected before anything cascades', () => {
    given(world())
      .when(command('DeactivateMember', { userId: MEMBERS.orgAdmin2 }))
      .then([{ type: 'MemberDeactivated', data: { userId: MEMBERS.orgAdmin2 } }]);
    given([...world(), { type: 'MemberDeactivated', data: { userId: MEMBERS.orgAdmin2 } }])
      .when(command('RemoveMember', { userId: ADMIN.userId }))
      .thenThrows('LAST_FULL_ACCESS_MEMBER');
  });

  it('R19 deleting a group cascades to its roles only; its members keep their own', () => {
    const events = [
      ...world(),
      groupCreated('g-ops', 'Ops'),
      groupMembersAdded('g-ops', [dave]),
      workspacePrincipalAdded(WS, groupP('g-ops'), 'admin'),
      workspacePrincipalAdded(WS, userP(dave), 'member'),
      projectMemberAdded('p-1', groupP('g-ops'), 'user'),
    ];
    const decided = given(events)
      .when(command('DeleteGroup', { groupId: 'g-ops' }))
      .then([
        { type: 'GroupDeleted', data: { groupId: 'g-ops' } },
        {
          type: 'WorkspacePrincipalRemoved',
          data: { workspaceId: WS, principal: groupP('g-ops') },
          causedBy: 0,
        },
        {
          type: 'ProjectMembersRemoved',
          data: { projectId: 'p-1', principals: [groupP('g-ops')] },
          causedBy: 0,
        },
      ]);
    const state = stateOf([...events, ...decided]);
    expect(workspaceRoleOf(state, dave, WS)).toBe('member');
    expect(effectiveProjectRole(state, dave, 'p-1')).toBeUndefined();
  });

  it('R1 creating an organization creates its Default workspace in the same decision', () => {
    given([])
      .when(
        command(
          'CreateOrganization',
          {
            organizationId: 'acme',
            name: 'Acme',
            catalog: [],
            firstUser: ADMIN,
            defaultWorkspaceId: DEFAULT_WS,
          },
          support,
        ),
      )
      .then([
        {
          type: 'OrganizationCreated',
          data: {
            organizationId: 'acme',
            name: 'Acme',
            catalog: ['truora.keys', 'truora.users'],
            firstMember: ADMIN,
            defaultWorkspaceId: DEFAULT_WS,
          },
        },
        {
          type: 'WorkspaceCreated',
          data: { workspaceId: DEFAULT_WS, name: 'Default' },
          causedBy: 0,
        },
        {
          type: 'WorkspacePrincipalAdded',
          data: { workspaceId: DEFAULT_WS, principal: userP(ADMIN.userId), role: 'admin' },
          causedBy: 0,
        },
      ]);
  });

  it('R9 an invitation adds the invitee to the Default workspace, caused by MemberInvited', () => {
    const events = organizationDecider.decide(
      command('InviteMember', { userId: 'u-new', email: 'new@acme.test' }),
      stateOf(world()),
    );
    expect(events).toEqual([
      expect.objectContaining({ type: 'MemberInvited' }),
      {
        type: 'WorkspacePrincipalAdded',
        data: { workspaceId: DEFAULT_WS, principal: userP('u-new'), role: 'user' },
        causedBy: 0,
      },
    ]);
  });
});
