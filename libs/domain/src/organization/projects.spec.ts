import { organizationDecider } from './organization.decider.js';
import { DeciderSpecification } from '../testing/decider-specification.js';
import { command, stateOf } from '../testing/organization.fixtures.js';
import {
  as,
  ENG,
  groupP,
  MEMBERS,
  projectMemberAdded,
  userP,
  world,
  WS,
} from '../testing/access-graph.fixtures.js';
import { effectiveProjectRole } from '../testing/access-answers.js';
import type { OrganizationEvent } from './organization.events.js';

const given = DeciderSpecification.for(organizationDecider);
const { alice, bob, carol, dave } = MEMBERS;

const create = (actor = as('alice'), workspaceId = WS) =>
  command('CreateProject', { projectId: 'p-new', workspaceId, name: ' Churn ' }, actor);
const created = (owner: string) => ({
  type: 'ProjectCreated' as const,
  data: { projectId: 'p-new', workspaceId: WS, name: 'Churn', owner: userP(owner) },
});
const deleted: OrganizationEvent = { type: 'ProjectDeleted', data: { projectId: 'p-1' } };

describe('projects', () => {
  describe('R24 creating projects', () => {
    it('R24 a workspace user creates a project and becomes its owner', () => {
      given(world())
        .when(create())
        .then([created(alice)]);
    });

    it('R24 workspace role user through a group is enough, and so are editors, admins and org admins', () => {
      given(world())
        .when(create(as('carol')))
        .then([created(carol)]);
      given(world())
        .when(create(as('editor')))
        .then([created(MEMBERS.editor)]);
      given(world())
        .when(create(as('wsAdmin')))
        .then([created(MEMBERS.wsAdmin)]);
      given(world())
        .when(create(as('orgAdmin2')))
        .then([created(MEMBERS.orgAdmin2)]);
    });

    it('R24 workspace members and outsiders cannot create projects', () => {
      for (const name of ['bob', 'dave'] as const) {
        given(world())
          .when(create(as(name)))
          .thenThrows('NOT_ALLOWED', (e) => {
            expect(e.kind).toBe('forbidden');
            expect(e.message).toContain('workspace role user or higher');
          });
      }
    });

    it('R24 refuses an unknown workspace, and a project id already used, even by a deleted project', () => {
      given(world())
        .when(create(as('alice'), 'ws-none'))
        .thenThrows('WORKSPACE_NOT_FOUND');
      given(world())
        .when(
          command('CreateProject', { projectId: 'p-1', workspaceId: WS, name: 'X' }, as('alice')),
        )
        .thenThrows('PROJECT_ALREADY_EXISTS', (e) => expect(e.kind).toBe('conflict'));
      given([...world(), deleted])
        .when(
          command('CreateProject', { projectId: 'p-1', workspaceId: WS, name: 'X' }, as('alice')),
        )
        .thenThrows('PROJECT_ALREADY_EXISTS');
    });
  });

  describe('R25 ownership', () => {
    const transfer = (to = userP(bob), actor = as('alice'), projectId = 'p-1') =>
      command('TransferOwnership', { projectId, to }, actor);

    it('R25 the owner transfers ownership to a project member; the previous owner becomes user', () => {
      const [event] = given(world())
        .when(transfer())
        .then([
          {
            type: 'OwnershipTransferred',
            data: { projectId: 'p-1', from: userP(alice), to: userP(bob) },
          },
        ]);
      const state = stateOf([...world(), event]);
      const project = state.projects.get('p-1');
      expect(project?.owner).toEqual(userP(bob));
      expect(project?.members.get(`user:${alice}`)?.role).toBe('user');
      expect(project?.members.has(`user:${bob}`)).toBe(false);
      expect(effectiveProjectRole(state, bob, 'p-1')).toBe('owner');
      expect(effectiveProjectRole(state, alice, 'p-1')).toBe('user');
      expect(state.projectsOwnedBy.get(`user:${alice}`)).toBeUndefined();
    });

    it('R25 ownership goes to a group member of the project too', () => {
      given([...world(), projectMemberAdded('p-1', groupP(ENG))])
        .when(transfer(groupP(ENG)))
        .then([
          {
            type: 'OwnershipTransferred',
            data: { projectId: 'p-1', from: userP(alice), to: groupP(ENG) },
          },
        ]);
    });

    it('R25 workspace admins and org admins transfer ownership; members of an owner group do too', () => {
      given(world())
        .when(transfer(userP(bob), as('wsAdmin')))
        .then([
          {
            type: 'OwnershipTransferred',
            data: { projectId: 'p-1', from: userP(alice), to: userP(bob) },
          },
        ]);
      given(world())
        .when(transfer(userP(bob), as('orgAdmin2')))
        .then([
          {
            type: 'OwnershipTransferred',
            data: { projectId: 'p-1', from: userP(alice), to: userP(bob) },
          },
        ]);
      given([...world(), projectMemberAdded('p-2', userP(dave))])
        .when(transfer(userP(dave), as('carol'), 'p-2'))
        .then([
          {
            type: 'OwnershipTransferred',
            data: { projectId: 'p-2', from: groupP(ENG), to: userP(dave) },
          },
        ]);
    });

    it('R25 project members, editors and outsiders cannot transfer ownership', () => {
      for (const name of ['bob', 'editor', 'dave'] as const) {
        given(world())
          .when(transfer(userP(bob), as(name)))
          .thenThrows('NOT_ALLOWED');
      }
    });

    it('R25 refuses transferring to someone who is not a project member', () => {
      given(world())
        .when(transfer(userP(dave)))
        .thenThrows('NEW_OWNER_NOT_IN_PROJECT', (e) => expect(e.kind).toBe('rule'));
    });

    it('R25 transferring to the current owner appends nothing', () => {
      given(world())
        .when(transfer(userP(alice)))
        .thenNothing();
    });

    it("R25 the owner's role cannot be changed, nor the owner removed", () => {
      given(world())
        .when(
          command(
            'ChangeProjectMemberRole',
            { projectId: 'p-1', principal: userP(alice), role: 'viewer' },
            as('alice'),
          ),
        )
        .thenThrows('OWNER_ROLE_FIXED', (e) => expect(e.kind).toBe('rule'));
      given(world())
        .when(
          command(
            'RemoveProjectMembers',
            { projectId: 'p-1', principals: [userP(alice)] },
            as('wsAdmin'),
          ),
        )
        .thenThrows('OWNER_CANNOT_BE_REMOVED');
    });

    it("R25 changing a member's org role or deactivating them leaves their ownership in place", () => {
      const events: OrganizationEvent[] = [
        ...world(),
        {
          type: 'MemberRoleChanged',
          data: { userId: alice, roleId: 'full_access', previousRoleId: 'default_access' },
        },
        { type: 'MemberDeactivated', data: { userId: alice } },
      ];
      given(world())
        .when(command('DeactivateMember', { userId: alice }))
        .then([{ type: 'MemberDeactivated', data: { userId: alice } }]);
      const state = stateOf(events);
      expect(state.projects.get('p-1')?.owner).toEqual(userP(alice));
      expect(state.projectsOwnedBy.get(`user:${alice}`)).toEqual(new Set(['p-1']));
    });

    it('R25 every live project keeps exactly one owner through a sequence of commands', () => {
      let events: OrganizationEvent[] = world();
      const run = (cmd: Parameters<typeof organizationDecider.decide>[0]) => {
        try {
          events = [...events, ...organizationDecider.decide(cmd, stateOf(events))];
        } catch {
          // refusals append nothing
        }
      };
      run(transfer(userP(bob)));
      run(command('RemoveMember', { userId: bob }));
      run(
        command(
          'RemoveProjectMembers',
          { projectId: 'p-1', principals: [userP(bob)] },
          as('wsAdmin'),
        ),
      );
      run(command('DeleteGroup', { groupId: ENG }));
      run(command('RemoveMember', { userId: alice }));
      run(command('DeactivateMember', { userId: bob }));
      const state = stateOf(events);
      for (const project of state.projects.values()) {
        if (!project.live) continue;
        const { owner } = project;
        expect(
          owner.type === 'user' ? state.members.has(owner.id) : state.groups.has(owner.id),
        ).toBe(true);
        expect(project.members.has(`${owner.type}:${owner.id}`)).toBe(false);
      }
      expect(state.projects.get('p-1')?.owner).toEqual(userP(bob));
    });
  });

  describe('R26 project members', () => {
    const add = (principal = userP(dave), role?: 'viewer' | 'user', actor = as('alice')) =>
      command(
        'AddProjectMember',
        role === undefined
          ? { projectId: 'p-1', principal }
          : { projectId: 'p-1', principal, role },
        actor,
      );

    it('R26 the owner adds an org member as viewer by default', () => {
      given(world())
        .when(add())
        .then([
          {
            type: 'ProjectMemberAdded',
            data: { projectId: 'p-1', principal: userP(dave), role: 'viewer' },
          },
        ]);
    });

    it('R26 workspace admins and org admins add members, groups included, with a role', () => {
      given(world())
        .when(add(groupP(ENG), 'user', as('wsAdmin')))
        .then([
          {
            type: 'ProjectMemberAdded',
            data: { projectId: 'p-1', principal: groupP(ENG), role: 'user' },
          },
        ]);
      given(world())
        .when(add(userP(dave), 'user', as('orgAdmin2')))
        .then([
          {
            type: 'ProjectMemberAdded',
            data: { projectId: 'p-1', principal: userP(dave), role: 'user' },
          },
        ]);
    });

    it("R26 members of an owner group manage the project's members", () => {
      given(world())
        .when(command('AddProjectMember', { projectId: 'p-2', principal: userP(bob) }, as('carol')))
        .then([
          {
            type: 'ProjectMemberAdded',
            data: { projectId: 'p-2', principal: userP(bob), role: 'viewer' },
          },
        ]);
    });

    it('R26 project members, workspace editors and outsiders cannot manage members', () => {
      for (const name of ['bob', 'editor', 'dave', 'carol'] as const) {
        given(world())
          .when(add(userP(MEMBERS.orgAdmin2), undefined, as(name)))
          .thenThrows('NOT_ALLOWED', (e) =>
            expect(e.message).toBe(
              'Only the project owner, admins of its workspace and org admins manage its members.',
            ),
          );
      }
    });

    it('R26 refuses principals already in the project, the owner, and unknown principals', () => {
      given(world())
        .when(add(userP(bob)))
        .thenThrows('PRINCIPAL_ALREADY_IN_PROJECT', (e) => expect(e.kind).toBe('conflict'));
      given(world())
        .when(add(userP(alice)))
        .thenThrows('PRINCIPAL_ALREADY_IN_PROJECT', (e) => expect(e.message).toContain('owns'));
      given(world())
        .when(add(userP('u-stranger')))
        .thenThrows('PRINCIPAL_NOT_FOUND');
      given(world())
        .when(add(groupP('g-none')))
        .thenThrows('PRINCIPAL_NOT_FOUND');
      given(world())
        .when(
          command(
            'AddProjectMember',
            { projectId: 'p-1', principal: userP(dave), role: 'owner' as never },
            as('alice'),
          ),
        )
        .thenThrows('INVALID_PROJECT_ROLE');
    });

    it("R26 changes a member's role between viewer and user; the same role appends nothing", () => {
      const change = (role: 'viewer' | 'user', principal = userP(bob)) =>
        command('ChangeProjectMemberRole', { projectId: 'p-1', principal, role }, as('alice'));
      given(world())
        .when(change('user'))
        .then([
          {
            type: 'ProjectMemberRoleChanged',
            data: { projectId: 'p-1', principal: userP(bob), role: 'user', previousRole: 'viewer' },
          },
        ]);
      given(world()).when(change('viewer')).thenNothing();
      given(world())
        .when(change('user', userP(dave)))
        .thenThrows('PRINCIPAL_NOT_IN_PROJECT');
      given(world())
        .when(
          command(
            'ChangeProjectMemberRole',
            { projectId: 'p-1', principal: userP(bob), role: 'user' },
            as('bob'),
          ),
        )
        .thenThrows('NOT_ALLOWED');
    });

    it('R26 removes members in a batch', () => {
      given([
        ...world(),
        projectMemberAdded('p-1', groupP(ENG)),
        projectMemberAdded('p-1', userP(dave)),
      ])
        .when(
          command(
            'RemoveProjectMembers',
            { projectId: 'p-1', principals: [userP(bob), groupP(ENG)] },
            as('alice'),
          ),
        )
        .then([
          {
            type: 'ProjectMembersRemoved',
            data: { projectId: 'p-1', principals: [userP(bob), groupP(ENG)] },
          },
        ]);
    });

    it('R26 refuses the whole batch when it holds the owner or a non-member', () => {
      given(world())
        .when(
          command(
            'RemoveProjectMembers',
            { projectId: 'p-1', principals: [userP(bob), userP(alice)] },
            as('alice'),
          ),
        )
        .thenThrows('OWNER_CANNOT_BE_REMOVED', (e) => expect(e.kind).toBe('rule'));
      given(world())
        .when(
          command(
            'RemoveProjectMembers',
            { projectId: 'p-1', principals: [userP(bob), userP(dave)] },
            as('alice'),
          ),
        )
        .thenThrows('PRINCIPAL_NOT_IN_PROJECT', (e) =>
          expect(e.details).toEqual({ projectId: 'p-1', principals: [userP(dave)] }),
        );
      given(world())
        .when(command('RemoveProjectMembers', { projectId: 'p-1', principals: [] }, as('alice')))
        .thenThrows('INVALID_PRINCIPALS');
    });
  });

  describe('R27 deleting projects', () => {
    const del = (actor = as('alice'), projectId = 'p-1') =>
      command('DeleteProject', { projectId }, actor);

    it('R27 the owner, a workspace admin or an org admin deletes a project', () => {
      for (const actor of [as('alice'), as('wsAdmin'), as('orgAdmin2')]) {
        given(world())
          .when(del(actor))
          .then([{ type: 'ProjectDeleted', data: { projectId: 'p-1' } }]);
      }
      given(world())
        .when(del(as('carol'), 'p-2'))
        .then([{ type: 'ProjectDeleted', data: { projectId: 'p-2' } }]);
    });

    it('R27 members, editors and outsiders cannot delete a project', () => {
      for (const name of ['bob', 'editor', 'dave'] as const) {
        given(world())
          .when(del(as(name)))
          .thenThrows('NOT_ALLOWED');
      }
    });

    it('R27 a deleted project is gone for every command and counts nowhere', () => {
      given([...world(), deleted])
        .when(del())
        .thenThrows('PROJECT_NOT_FOUND', (e) => expect(e.kind).toBe('not_found'));
      given([...world(), deleted])
        .when(
          command('AddProjectMember', { projectId: 'p-1', principal: userP(dave) }, as('alice')),
        )
        .thenThrows('PROJECT_NOT_FOUND');
      given(world())
        .when(command('TransferOwnership', { projectId: 'p-none', to: userP(bob) }, as('alice')))
        .thenThrows('PROJECT_NOT_FOUND');
      const state = stateOf([...world(), deleted]);
      expect(state.projects.get('p-1')?.live).toBe(false);
      expect(state.workspaces.get(WS)?.projectIds.has('p-1')).toBe(false);
      expect(state.projectsByPrincipal.get(`user:${bob}`)).toBeUndefined();
      expect(effectiveProjectRole(state, alice, 'p-1')).toBeUndefined();
    });

    it('R27 once its only project is deleted, its owner can be removed from the organization (R11)', () => {
      given([...world(), deleted])
        .when(command('RemoveMember', { userId: alice }))
        .then([
          { type: 'MemberRemoved', data: { userId: alice } },
          {
            type: 'WorkspacePrincipalRemoved',
            data: { workspaceId: WS, principal: userP(alice) },
            causedBy: 0,
          },
        ]);
    });
  });
});
