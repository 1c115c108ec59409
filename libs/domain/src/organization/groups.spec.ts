import { organizationDecider } from './organization.decider.js';
import { DeciderSpecification } from '../testing/decider-specification.js';
import {
  activeMember,
  admin,
  apiKey,
  apiKeyIssued,
  command,
  fullAccessSnapshot,
  roleCreated,
  stateOf,
  user,
} from '../testing/organization.fixtures.js';
import {
  as,
  directoryGroupLinked,
  emailOf,
  ENG,
  groupCreated,
  groupMembersAdded,
  groupP,
  MEMBERS,
  projectCreated,
  projectMemberAdded,
  userP,
  workspacePrincipalAdded,
  withGroups,
  world,
  worldWithout,
  WS,
} from '../testing/access-graph.fixtures.js';
import { workspaceRoleOf } from '../testing/access-answers.js';
import type { OrganizationEvent } from './organization.events.js';

const given = DeciderSpecification.for(organizationDecider);
const { alice, bob, carol, dave } = MEMBERS;
const signIn = (groups: string[], name: 'carol' | 'dave' = 'carol') =>
  command(
    'SignIn',
    { subject: `sub-${emailOf(name)}`, email: emailOf(name), groups },
    withGroups(emailOf(name), `sub-${emailOf(name)}`, groups),
  );

describe('groups', () => {
  describe('R17 manual groups', () => {
    it('R17 an org admin creates a group', () => {
      given(world())
        .when(command('CreateGroup', { groupId: 'g-ops', name: ' Ops ' }))
        .then([{ type: 'GroupCreated', data: { groupId: 'g-ops', name: 'Ops' } }]);
    });

    it('R17 group names are unique, case-insensitively', () => {
      given(world())
        .when(command('CreateGroup', { groupId: 'g-2', name: 'ENGINEERING' }))
        .thenThrows('GROUP_NAME_TAKEN', (e) => expect(e.kind).toBe('conflict'));
      given(world())
        .when(command('CreateGroup', { groupId: ENG, name: 'Other' }))
        .thenThrows('GROUP_ALREADY_EXISTS');
    });

    it('R17 members who are not org admins cannot create, rename or delete groups, workspace admins included', () => {
      for (const name of ['alice', 'wsAdmin'] as const) {
        given(world())
          .when(command('CreateGroup', { groupId: 'g-x', name: 'X' }, as(name)))
          .thenThrows('NOT_ALLOWED', (e) => {
            expect(e.kind).toBe('forbidden');
            expect(e.message).toContain('org admins');
          });
      }
      given(world())
        .when(command('RenameGroup', { groupId: ENG, name: 'Eng' }, as('carol')))
        .thenThrows('NOT_ALLOWED');
      given(world())
        .when(command('DeleteGroup', { groupId: ENG }, as('carol')))
        .thenThrows('NOT_ALLOWED');
    });

    it("R17 renames a group; its own name in another case is allowed, another group's is not", () => {
      given(world())
        .when(command('RenameGroup', { groupId: ENG, name: 'engineering' }))
        .then([{ type: 'GroupRenamed', data: { groupId: ENG, name: 'engineering' } }]);
      given(world())
        .when(command('RenameGroup', { groupId: ENG, name: 'Engineering' }))
        .thenNothing();
      given([...world(), groupCreated('g-ops', 'Ops')])
        .when(command('RenameGroup', { groupId: 'g-ops', name: 'engineering' }))
        .thenThrows('GROUP_NAME_TAKEN');
      given(world())
        .when(command('RenameGroup', { groupId: 'g-none', name: 'X' }))
        .thenThrows('GROUP_NOT_FOUND', (e) => expect(e.kind).toBe('not_found'));
    });

    it('R17 the old name is free again after a rename', () => {
      given([...world(), { type: 'GroupRenamed', data: { groupId: ENG, name: 'Eng' } }])
        .when(command('CreateGroup', { groupId: 'g-2', name: 'Engineering' }))
        .then([{ type: 'GroupCreated', data: { groupId: 'g-2', name: 'Engineering' } }]);
    });

    it('R17 adds org members of any status not yet in the group', () => {
      given([...world(), { type: 'MemberDeactivated', data: { userId: dave } }])
        .when(command('AddGroupMembers', { groupId: ENG, userIds: [alice, dave, alice] }))
        .then([{ type: 'GroupMembersAdded', data: { groupId: ENG, userIds: [alice, dave] } }]);
    });

    it('R17 refuses adding someone who is not a member of the organization', () => {
      given(world())
        .when(command('AddGroupMembers', { groupId: ENG, userIds: [alice, 'u-stranger'] }))
        .thenThrows('MEMBER_NOT_FOUND', (e) => expect(e.details).toEqual({ userId: 'u-stranger' }));
    });

    it('R17 refuses adding someone already in the group, naming them', () => {
      given(world())
        .when(command('AddGroupMembers', { groupId: ENG, userIds: [alice, carol] }))
        .thenThrows('ALREADY_GROUP_MEMBER', (e) => {
          expect(e.kind).toBe('conflict');
          expect(e.details).toEqual({ groupId: ENG, userIds: [carol] });
        });
    });

    it('R17 refuses an empty batch', () => {
      given(world())
        .when(command('AddGroupMembers', { groupId: ENG, userIds: [] }))
        .thenThrows('INVALID_USER_IDS', (e) => expect(e.kind).toBe('invalid'));
    });

    it('R17 removes a current group member, and only one', () => {
      given(world())
        .when(command('RemoveGroupMember', { groupId: ENG, userId: carol }))
        .then([{ type: 'GroupMemberRemoved', data: { groupId: ENG, userId: carol } }]);
      given(world())
        .when(command('RemoveGroupMember', { groupId: ENG, userId: bob }))
        .thenThrows('NOT_GROUP_MEMBER', (e) => expect(e.kind).toBe('not_found'));
    });

    it('R17 a removed group member loses the roles the group gave them', () => {
      const before = stateOf(world());
      expect(workspaceRoleOf(before, carol, WS)).toBe('user');
      const after = stateOf([
        ...world(),
        { type: 'GroupMemberRemoved', data: { groupId: ENG, userId: carol } },
      ]);
      expect(workspaceRoleOf(after, carol, WS)).toBeUndefined();
    });
  });

  describe('R18 directory groups', () => {
    const linked = [...world(), directoryGroupLinked('g-dir', 'idp-sales', 'Sales')];

    it('R18 an org admin links a directory group by its identity-provider id', () => {
      given(world())
        .when(
          command('LinkDirectoryGroup', {
            groupId: 'g-dir',
            name: 'Sales',
            directoryGroupId: 'idp-sales',
          }),
        )
        .then([
          {
            type: 'DirectoryGroupLinked',
            data: { groupId: 'g-dir', name: 'Sales', directoryGroupId: 'idp-sales' },
          },
        ]);
    });

    it('R18 refuses linking the same directory group twice, or a taken name, or by a non-admin (R42: holding truora.directory is not enough)', () => {
      given(linked)
        .when(
          command('LinkDirectoryGroup', {
            groupId: 'g-2',
            name: 'Other',
            directoryGroupId: 'idp-sales',
          }),
        )
        .thenThrows('DIRECTORY_GROUP_ALREADY_LINKED', (e) => expect(e.kind).toBe('conflict'));
      given(linked)
        .when(
          command('LinkDirectoryGroup', {
            groupId: 'g-2',
            name: 'sales',
            directoryGroupId: 'idp-2',
          }),
        )
        .thenThrows('GROUP_NAME_TAKEN');
      given(world())
        .when(
          command(
            'LinkDirectoryGroup',
            { groupId: 'g-2', name: 'X', directoryGroupId: 'idp-2' },
            as('wsAdmin'),
          ),
        )
        .thenThrows('MISSING_PERMISSION', (e) =>
          expect(e.details).toEqual({ missing: ['truora.directory'] }),
        );
      given([
        ...world(),
        roleCreated('r-dir', 'Directory managers', ['truora.directory']),
        ...activeMember('u-dirmgr', 'dirmgr@acme.test', 'r-dir'),
      ])
        .when(
          command(
            'LinkDirectoryGroup',
            { groupId: 'g-2', name: 'X', directoryGroupId: 'idp-2' },
            user('dirmgr@acme.test'),
          ),
        )
        .thenThrows('NOT_ALLOWED', (e) => expect(e.message).toBe('Only org admins manage groups.'));
    });

    it('R18 refuses editing a directory group by hand', () => {
      given(linked)
        .when(command('AddGroupMembers', { groupId: 'g-dir', userIds: [alice] }))
        .thenThrows('DIRECTORY_GROUP_READ_ONLY', (e) => expect(e.kind).toBe('rule'));
      given([
        ...linked,
        { type: 'DirectoryMembershipSynced', data: { userId: carol, joined: ['g-dir'], left: [] } },
      ])
        .when(command('RemoveGroupMember', { groupId: 'g-dir', userId: carol }))
        .thenThrows('DIRECTORY_GROUP_READ_ONLY');
    });

    it('R18 sign-in joins the linked groups named in the groups claim; unknown claims are ignored', () => {
      given(linked)
        .when(signIn(['idp-sales', 'idp-unlinked']))
        .then([
          {
            type: 'DirectoryMembershipSynced',
            data: { userId: carol, joined: ['g-dir'], left: [] },
          },
        ]);
    });

    it('R18 sign-in leaves the directory groups no longer in the claim, never manual groups', () => {
      given([
        ...linked,
        directoryGroupLinked('g-dir2', 'idp-support', 'Support'),
        {
          type: 'DirectoryMembershipSynced',
          data: { userId: carol, joined: ['g-dir', 'g-dir2'], left: [] },
        },
      ])
        .when(signIn(['idp-support']))
        .then([
          {
            type: 'DirectoryMembershipSynced',
            data: { userId: carol, joined: [], left: ['g-dir'] },
          },
        ]);
    });

    it('R18 sign-in records nothing when the membership already matches the claim', () => {
      given([
        ...linked,
        { type: 'DirectoryMembershipSynced', data: { userId: carol, joined: ['g-dir'], left: [] } },
      ])
        .when(signIn(['idp-sales']))
        .thenNothing();
      given(linked).when(signIn([])).thenNothing();
    });

    it("R18 an invitee's first sign-in activates them, then syncs their directory groups", () => {
      given([
        ...linked,
        {
          type: 'MemberInvited',
          data: {
            userId: 'u-new',
            email: 'new@acme.test',
            roleId: 'default_access',
            invitedBy: null,
          },
        },
      ])
        .when(
          command(
            'SignIn',
            { subject: 'sub-new', email: 'new@acme.test', groups: ['idp-sales'] },
            withGroups('new@acme.test', 'sub-new', ['idp-sales']),
          ),
        )
        .then([
          { type: 'MemberActivated', data: { userId: 'u-new', subject: 'sub-new' } },
          {
            type: 'DirectoryMembershipSynced',
            data: { userId: 'u-new', joined: ['g-dir'], left: [] },
          },
        ]);
    });

    it('R18 a synced directory group grants its workspace role', () => {
      const state = stateOf([
        ...linked,
        workspacePrincipalAdded(WS, groupP('g-dir'), 'editor'),
        { type: 'DirectoryMembershipSynced', data: { userId: dave, joined: ['g-dir'], left: [] } },
      ]);
      expect(workspaceRoleOf(state, dave, WS)).toBe('editor');
    });
  });

  describe('R42 directory-group sync is enabled on request (truora.directory)', () => {
    const link = command('LinkDirectoryGroup', {
      groupId: 'g-dir',
      name: 'Sales',
      directoryGroupId: 'idp-sales',
    });
    const linked = [...world(), directoryGroupLinked('g-dir', 'idp-sales', 'Sales')];
    const removed: OrganizationEvent = {
      type: 'CatalogPermissionsRemoved',
      data: { permissions: ['truora.directory'] },
    };

    it('R42 an org admin links a directory group once the catalog holds truora.directory', () => {
      given(world())
        .when(link)
        .then([
          {
            type: 'DirectoryGroupLinked',
            data: { groupId: 'g-dir', name: 'Sales', directoryGroupId: 'idp-sales' },
          },
        ]);
    });

    it('R42 without truora.directory in the catalog linking is refused with ENTITLEMENT_REQUIRED, which says to ask Support', () => {
      for (const history of [worldWithout(['truora.directory']), [...world(), removed]]) {
        given(history)
          .when(link)
          .thenThrows('ENTITLEMENT_REQUIRED', (e) => {
            expect(e.kind).toBe('forbidden');
            expect(e.message).toBe(
              "Linking directory groups (group sync) is enabled on request: ask Support to add truora.directory to this organization's catalog.",
            );
            expect(e.details).toEqual({ entitlement: 'truora.directory' });
          });
      }
    });

    it('R42 manual groups need no entitlement', () => {
      given(worldWithout(['truora.directory']))
        .when(command('CreateGroup', { groupId: 'g-ops', name: 'Ops' }))
        .then([{ type: 'GroupCreated', data: { groupId: 'g-ops', name: 'Ops' } }]);
    });

    it('R42 once truora.directory is removed, linked directory groups keep syncing at sign-in and can be renamed', () => {
      given([...linked, removed])
        .when(signIn(['idp-sales']))
        .then([
          {
            type: 'DirectoryMembershipSynced',
            data: { userId: carol, joined: ['g-dir'], left: [] },
          },
        ]);
      given([
        ...linked,
        { type: 'DirectoryMembershipSynced', data: { userId: carol, joined: ['g-dir'], left: [] } },
        removed,
      ])
        .when(signIn([]))
        .then([
          {
            type: 'DirectoryMembershipSynced',
            data: { userId: carol, joined: [], left: ['g-dir'] },
          },
        ]);
      given([...linked, removed])
        .when(command('RenameGroup', { groupId: 'g-dir', name: 'Sales team' }))
        .then([{ type: 'GroupRenamed', data: { groupId: 'g-dir', name: 'Sales team' } }]);
    });
  });

  describe('R19 deleting a group', () => {
    it('R19 refuses deleting a group that owns a live project, listing the projects', () => {
      given(world())
        .when(command('DeleteGroup', { groupId: ENG }))
        .thenThrows('GROUP_OWNS_PROJECTS', (e) => {
          expect(e.kind).toBe('conflict');
          expect(e.details).toEqual({ groupId: ENG, projectIds: ['p-2'] });
          expect(e.message).toContain('p-2');
        });
    });

    it('R19 deletes a group whose owned project was deleted', () => {
      given([...world(), { type: 'ProjectDeleted', data: { projectId: 'p-2' } }])
        .when(command('DeleteGroup', { groupId: ENG }))
        .then([
          { type: 'GroupDeleted', data: { groupId: ENG } },
          {
            type: 'WorkspacePrincipalRemoved',
            data: { workspaceId: WS, principal: groupP(ENG) },
            causedBy: 0,
          },
        ]);
    });

    it('R19 deleting a group removes its workspace and project roles, caused by GroupDeleted', () => {
      const events = [
        ...world(),
        groupCreated('g-ops', 'Ops'),
        workspacePrincipalAdded(WS, groupP('g-ops'), 'editor'),
        workspacePrincipalAdded('ws-acme', groupP('g-ops'), 'member'),
        projectMemberAdded('p-1', groupP('g-ops'), 'user'),
        projectCreated('p-3', WS, userP(alice)),
        projectMemberAdded('p-3', groupP('g-ops')),
      ];
      given(events)
        .when(command('DeleteGroup', { groupId: 'g-ops' }))
        .then([
          { type: 'GroupDeleted', data: { groupId: 'g-ops' } },
          {
            type: 'WorkspacePrincipalRemoved',
            data: { workspaceId: WS, principal: groupP('g-ops') },
            causedBy: 0,
          },
          {
            type: 'WorkspacePrincipalRemoved',
            data: { workspaceId: 'ws-acme', principal: groupP('g-ops') },
            causedBy: 0,
          },
          {
            type: 'ProjectMembersRemoved',
            data: { projectId: 'p-1', principals: [groupP('g-ops')] },
            causedBy: 0,
          },
          {
            type: 'ProjectMembersRemoved',
            data: { projectId: 'p-3', principals: [groupP('g-ops')] },
            causedBy: 0,
          },
        ]);
    });

    it("R19 once deleted, the group and its members' roles through it are gone, and its name is free", () => {
      const events = [
        ...world(),
        groupCreated('g-ops', 'Ops'),
        groupMembersAdded('g-ops', [dave]),
        workspacePrincipalAdded(WS, groupP('g-ops'), 'admin'),
      ];
      const decided = organizationDecider.decide(
        command('DeleteGroup', { groupId: 'g-ops' }),
        stateOf(events),
      );
      const state = stateOf([...events, ...decided]);
      expect(state.groups.has('g-ops')).toBe(false);
      expect(workspaceRoleOf(state, dave, WS)).toBeUndefined();
      expect(state.groupsByUser.has(dave)).toBe(false);
      expect(state.workspacesByPrincipal.has('group:g-ops')).toBe(false);
      given([...events, ...decided])
        .when(command('CreateGroup', { groupId: 'g-ops2', name: 'ops' }))
        .then([{ type: 'GroupCreated', data: { groupId: 'g-ops2', name: 'ops' } }]);
    });

    it('R19 an unknown group cannot be deleted', () => {
      given(world())
        .when(command('DeleteGroup', { groupId: 'g-none' }))
        .thenThrows('GROUP_NOT_FOUND');
    });
  });

  it('API keys cannot manage groups, even with full permissions', () => {
    given([...world(), apiKeyIssued('k1', fullAccessSnapshot())])
      .when(command('CreateGroup', { groupId: 'g-x', name: 'X' }, apiKey('k1')))
      .thenThrows('API_KEY_NOT_ALLOWED', (e) => expect(e.kind).toBe('forbidden'));
  });

  it('the org admin fixture is allowed (sanity for the NOT_ALLOWED cases above)', () => {
    given(world())
      .when(command('CreateGroup', { groupId: 'g-x', name: 'X' }, admin))
      .then([{ type: 'GroupCreated', data: { groupId: 'g-x', name: 'X' } }]);
  });
});
