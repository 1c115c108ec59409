import { organizationDecider } from './organization.decider.js';
import { DeciderSpecification } from '../testing/decider-specification.js';
import {
  activeMember,
  admin,
  command,
  roleCreated,
  stateOf,
  user,
} from '../testing/organization.fixtures.js';
import {
  as,
  ENG,
  groupP,
  MEMBERS,
  userP,
  workspacePrincipalAdded,
  world,
  worldWithout,
  WS,
} from '../testing/access-graph.fixtures.js';
import type { OrganizationEvent } from './organization.events.js';
import { visibleWorkspaces, workspaceRoleOf } from '../testing/access-answers.js';
import type { Principal } from '../shared/principal.js';
import type { WorkspaceRole } from '../workspace/workspace.events.js';

const given = DeciderSpecification.for(organizationDecider);
const { alice, bob, carol, dave, wsAdmin } = MEMBERS;

const createWs = (
  principals: { principal: Principal; role: WorkspaceRole }[] = [
    { principal: userP(dave), role: 'admin' },
  ],
) => command('CreateWorkspace', { workspaceId: 'ws-2', name: ' Sales ', principals });

describe('workspaces', () => {
  describe('R20 creating workspaces', () => {
    it('R20 an org admin creates a workspace with its initial principals and roles', () => {
      given(world())
        .when(
          createWs([
            { principal: userP(dave), role: 'admin' },
            { principal: groupP(ENG), role: 'member' },
          ]),
        )
        .then([
          { type: 'WorkspaceCreated', data: { workspaceId: 'ws-2', name: 'Sales' } },
          {
            type: 'WorkspacePrincipalAdded',
            data: { workspaceId: 'ws-2', principal: userP(dave), role: 'admin' },
          },
          {
            type: 'WorkspacePrincipalAdded',
            data: { workspaceId: 'ws-2', principal: groupP(ENG), role: 'member' },
          },
        ]);
    });

    it('R20 only org admins create workspaces; workspace admins are refused, and so is holding truora.workspaces without being an org admin (R42)', () => {
      given(world())
        .when({ ...createWs(), metadata: { ...createWs().metadata, actor: as('wsAdmin') } })
        .thenThrows('MISSING_PERMISSION', (e) => {
          expect(e.kind).toBe('forbidden');
          expect(e.details).toEqual({ missing: ['truora.workspaces'] });
        });
      given([
        ...world(),
        roleCreated('r-ws', 'Workspace creators', ['truora.workspaces']),
        ...activeMember('u-wsmaker', 'wsmaker@acme.test', 'r-ws'),
      ])
        .when({
          ...createWs(),
          metadata: { ...createWs().metadata, actor: user('wsmaker@acme.test') },
        })
        .thenThrows('NOT_ALLOWED', (e) => {
          expect(e.kind).toBe('forbidden');
          expect(e.message).toBe('Only org admins create workspaces.');
        });
    });

    it('R20 workspace names are unique, case-insensitively, the Default one included', () => {
      given(world())
        .when(command('CreateWorkspace', { workspaceId: 'ws-2', name: 'research', principals: [] }))
        .thenThrows('WORKSPACE_NAME_TAKEN', (e) => expect(e.kind).toBe('conflict'));
      given(world())
        .when(command('CreateWorkspace', { workspaceId: 'ws-2', name: 'DEFAULT', principals: [] }))
        .thenThrows('WORKSPACE_NAME_TAKEN');
      given(world())
        .when(command('CreateWorkspace', { workspaceId: WS, name: 'Other', principals: [] }))
        .thenThrows('WORKSPACE_ALREADY_EXISTS');
    });

    it('R20 initial principals must be org members or existing groups, each listed once, with a valid role', () => {
      given(world())
        .when(createWs([{ principal: userP('u-stranger'), role: 'user' }]))
        .thenThrows('PRINCIPAL_NOT_FOUND', (e) => expect(e.kind).toBe('not_found'));
      given(world())
        .when(createWs([{ principal: groupP('g-none'), role: 'user' }]))
        .thenThrows('PRINCIPAL_NOT_FOUND');
      given(world())
        .when(
          createWs([
            { principal: userP(dave), role: 'user' },
            { principal: userP(dave), role: 'admin' },
          ]),
        )
        .thenThrows('DUPLICATE_PRINCIPAL', (e) => expect(e.kind).toBe('invalid'));
      given(world())
        .when(createWs([{ principal: userP(dave), role: 'owner' as unknown as WorkspaceRole }]))
        .thenThrows('INVALID_WORKSPACE_ROLE');
      given(world())
        .when(createWs([{ principal: { type: 'robot', id: 'x' } as never, role: 'user' }]))
        .thenThrows('INVALID_PRINCIPAL');
    });

    it('R20 org admins see every workspace; others those where they hold a role, directly or through a group', () => {
      const state = stateOf([
        ...world(),
        { type: 'WorkspaceCreated', data: { workspaceId: 'ws-2', name: 'Sales' } },
      ]);
      expect(visibleWorkspaces(state, MEMBERS.orgAdmin2).map((w) => w.workspaceId)).toEqual([
        'ws-acme',
        WS,
        'ws-2',
      ]);
      expect(visibleWorkspaces(state, MEMBERS.orgAdmin2)[1]).toEqual({
        workspaceId: WS,
        name: 'Research',
        role: null,
      });
      expect(visibleWorkspaces(state, carol)).toEqual([
        { workspaceId: WS, name: 'Research', role: 'user' },
      ]);
      expect(visibleWorkspaces(state, dave)).toEqual([]);
      expect(visibleWorkspaces(state, 'u-stranger')).toEqual([]);
    });

    it('R20 org admins and workspace admins rename a workspace, names staying unique', () => {
      for (const actor of [undefined, as('wsAdmin')]) {
        given(world())
          .when(command('RenameWorkspace', { workspaceId: WS, name: 'Labs' }, actor))
          .then([{ type: 'WorkspaceRenamed', data: { workspaceId: WS, name: 'Labs' } }]);
      }
      given(world())
        .when(command('RenameWorkspace', { workspaceId: WS, name: 'Labs' }, as('editor')))
        .thenThrows('NOT_ALLOWED');
      given(world())
        .when(command('RenameWorkspace', { workspaceId: WS, name: 'default' }))
        .thenThrows('WORKSPACE_NAME_TAKEN');
      given(world())
        .when(command('RenameWorkspace', { workspaceId: WS, name: 'Research' }))
        .thenNothing();
    });
  });

  describe('R42 workspaces beyond Default are a paid feature (truora.workspaces)', () => {
    const removed: OrganizationEvent = {
      type: 'CatalogPermissionsRemoved',
      data: { permissions: ['truora.workspaces'] },
    };
    const notEntitled = () => [worldWithout(['truora.workspaces']), [...world(), removed]];

    it('R42 an org admin creates a workspace once the catalog holds truora.workspaces', () => {
      given(worldWithout(['truora.directory']))
        .when(createWs([]))
        .then([{ type: 'WorkspaceCreated', data: { workspaceId: 'ws-2', name: 'Sales' } }]);
    });

    it('R42 without truora.workspaces in the catalog creating a workspace is refused with ENTITLEMENT_REQUIRED, which says to ask Support', () => {
      for (const history of notEntitled()) {
        for (const actor of [admin, as('orgAdmin2'), as('wsAdmin')]) {
          given(history)
            .when({ ...createWs(), metadata: { ...createWs().metadata, actor } })
            .thenThrows('ENTITLEMENT_REQUIRED', (e) => {
              expect(e.kind).toBe('forbidden');
              expect(e.message).toBe(
                "Creating workspaces beyond Default is a paid feature: ask Support to add truora.workspaces to this organization's catalog.",
              );
              expect(e.details).toEqual({ entitlement: 'truora.workspaces' });
            });
        }
      }
    });

    it('R42 support enabling truora.workspaces lets org admins create workspaces at once', () => {
      given([
        ...worldWithout(['truora.workspaces']),
        { type: 'CatalogPermissionsAdded', data: { permissions: ['truora.workspaces'] } },
      ])
        .when(createWs([]))
        .then([{ type: 'WorkspaceCreated', data: { workspaceId: 'ws-2', name: 'Sales' } }]);
    });

    it('R42 once truora.workspaces is removed, existing workspaces keep working: renamed, given principals, holding new projects', () => {
      for (const history of notEntitled()) {
        given(history)
          .when(command('RenameWorkspace', { workspaceId: WS, name: 'Labs' }))
          .then([{ type: 'WorkspaceRenamed', data: { workspaceId: WS, name: 'Labs' } }]);
        given(history)
          .when(
            command(
              'AddWorkspacePrincipal',
              { workspaceId: WS, principal: userP(dave), role: 'user' },
              as('wsAdmin'),
            ),
          )
          .then([
            {
              type: 'WorkspacePrincipalAdded',
              data: { workspaceId: WS, principal: userP(dave), role: 'user' },
            },
          ]);
        given(history)
          .when(
            command(
              'CreateProject',
              { projectId: 'p-new', workspaceId: WS, name: 'Churn' },
              as('alice'),
            ),
          )
          .then([
            {
              type: 'ProjectCreated',
              data: { projectId: 'p-new', workspaceId: WS, name: 'Churn', owner: userP(alice) },
            },
          ]);
      }
    });
  });

  describe('R21 workspace principals', () => {
    const add = (
      principal = userP(dave),
      role: 'member' | 'user' | 'editor' | 'admin' = 'user',
      actor = as('wsAdmin'),
    ) => command('AddWorkspacePrincipal', { workspaceId: WS, principal, role }, actor);

    it('R21 a workspace admin adds a member or a group with a role', () => {
      given(world())
        .when(add())
        .then([
          {
            type: 'WorkspacePrincipalAdded',
            data: { workspaceId: WS, principal: userP(dave), role: 'user' },
          },
        ]);
    });

    it('R21 an org admin without a workspace role adds principals too', () => {
      given(world())
        .when(add(groupP(ENG), 'user', as('orgAdmin2')))
        .thenThrows('PRINCIPAL_ALREADY_IN_WORKSPACE', (e) => expect(e.kind).toBe('conflict'));
      given(world())
        .when(add(userP(dave), 'editor', as('orgAdmin2')))
        .then([
          {
            type: 'WorkspacePrincipalAdded',
            data: { workspaceId: WS, principal: userP(dave), role: 'editor' },
          },
        ]);
    });

    it('R21 a workspace admin through a group manages the workspace', () => {
      const events = [
        ...world(),
        {
          type: 'WorkspacePrincipalRoleChanged' as const,
          data: {
            workspaceId: WS,
            principal: groupP(ENG),
            role: 'admin' as const,
            previousRole: 'user' as const,
          },
        },
      ];
      expect(workspaceRoleOf(stateOf(events), carol, WS)).toBe('admin');
      given(events)
        .when(add(userP(dave), 'member', as('carol')))
        .then([
          {
            type: 'WorkspacePrincipalAdded',
            data: { workspaceId: WS, principal: userP(dave), role: 'member' },
          },
        ]);
    });

    it('R21 editors, users and members of the workspace, and admins of other workspaces, are refused', () => {
      for (const name of ['editor', 'alice', 'bob'] as const) {
        given(world())
          .when(add(userP(dave), 'user', as(name)))
          .thenThrows('NOT_ALLOWED', (e) =>
            expect(e.message).toBe(
              'Only org admins and admins of this workspace manage its members.',
            ),
          );
      }
      given(world())
        .when(
          command(
            'AddWorkspacePrincipal',
            { workspaceId: 'ws-acme', principal: userP(dave), role: 'user' },
            as('wsAdmin'),
          ),
        )
        .thenThrows('NOT_ALLOWED');
    });

    it('R21 refuses principals that are not org members or groups, and unknown workspaces', () => {
      given(world())
        .when(add(userP('u-stranger')))
        .thenThrows('PRINCIPAL_NOT_FOUND');
      given(world())
        .when(add(groupP('g-none')))
        .thenThrows('PRINCIPAL_NOT_FOUND');
      given(world())
        .when(
          command('AddWorkspacePrincipal', {
            workspaceId: 'ws-none',
            principal: userP(dave),
            role: 'user',
          }),
        )
        .thenThrows('WORKSPACE_NOT_FOUND', (e) => expect(e.kind).toBe('not_found'));
    });

    it("R21 changes a principal's role, recording the previous one; the same role appends nothing", () => {
      given(world())
        .when(
          command(
            'ChangeWorkspacePrincipalRole',
            { workspaceId: WS, principal: userP(bob), role: 'editor' },
            as('wsAdmin'),
          ),
        )
        .then([
          {
            type: 'WorkspacePrincipalRoleChanged',
            data: {
              workspaceId: WS,
              principal: userP(bob),
              role: 'editor',
              previousRole: 'member',
            },
          },
        ]);
      given(world())
        .when(
          command('ChangeWorkspacePrincipalRole', {
            workspaceId: WS,
            principal: userP(bob),
            role: 'member',
          }),
        )
        .thenNothing();
      given(world())
        .when(
          command('ChangeWorkspacePrincipalRole', {
            workspaceId: WS,
            principal: userP(dave),
            role: 'member',
          }),
        )
        .thenThrows('PRINCIPAL_NOT_IN_WORKSPACE', (e) => expect(e.kind).toBe('not_found'));
      given(world())
        .when(
          command(
            'ChangeWorkspacePrincipalRole',
            { workspaceId: WS, principal: userP(dave), role: 'admin' },
            as('alice'),
          ),
        )
        .thenThrows('NOT_ALLOWED');
    });

    it('R21 removes a principal, which then holds no role there', () => {
      const remove = command(
        'RemoveWorkspacePrincipal',
        { workspaceId: WS, principal: groupP(ENG) },
        as('wsAdmin'),
      );
      const [removed] = given(world())
        .when(remove)
        .then([
          { type: 'WorkspacePrincipalRemoved', data: { workspaceId: WS, principal: groupP(ENG) } },
        ]);
      expect(workspaceRoleOf(stateOf([...world(), removed]), carol, WS)).toBeUndefined();
      given(world())
        .when(command('RemoveWorkspacePrincipal', { workspaceId: WS, principal: userP(dave) }))
        .thenThrows('PRINCIPAL_NOT_IN_WORKSPACE');
      given(world())
        .when(
          command(
            'RemoveWorkspacePrincipal',
            { workspaceId: WS, principal: userP(dave) },
            as('bob'),
          ),
        )
        .thenThrows('NOT_ALLOWED');
    });
  });

  describe('R22 workspace roles', () => {
    it("R22 the workspace role is the highest of the direct role and the groups' roles", () => {
      const state = stateOf([
        ...world(),
        workspacePrincipalAdded(WS, userP(carol), 'member'),
        { type: 'GroupMembersAdded', data: { groupId: ENG, userIds: [alice] } },
      ]);
      expect(workspaceRoleOf(state, carol, WS)).toBe('user');
      expect(workspaceRoleOf(state, alice, WS)).toBe('user');
      expect(workspaceRoleOf(state, wsAdmin, WS)).toBe('admin');
      expect(workspaceRoleOf(state, dave, WS)).toBeUndefined();
      expect(workspaceRoleOf(state, dave, 'ws-none')).toBeUndefined();
    });
  });
});
