import { command, stateOf } from '../testing/organization.fixtures.js';
import type { Actor } from '../shared/actor.js';
import {
  as,
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
  visibleDashboards,
  visibleWorkspaces,
  workspaceRoleOf,
} from '../testing/access-answers.js';
import { isOrgAdmin, workspaceUsage } from './access.js';
import { organizationDecider } from './organization.decider.js';
import type { OrganizationEvent } from './organization.events.js';

const { alice, bob, carol, dave, editor, wsAdmin, orgAdmin2 } = MEMBERS;

describe('what the deciders and projections read of the access graph (answered by libs/access)', () => {
  describe('isOrgAdmin', () => {
    it('is true for active full_access members only', () => {
      const state = stateOf([
        ...world(),
        {
          type: 'MemberInvited',
          data: { userId: 'u-inv', email: 'inv@acme.test', roleId: 'full_access', invitedBy: null },
        },
        { type: 'MemberDeactivated', data: { userId: orgAdmin2 } },
      ]);
      expect(isOrgAdmin(state, 'u-admin')).toBe(true);
      expect(isOrgAdmin(state, orgAdmin2)).toBe(false);
      expect(isOrgAdmin(state, 'u-inv')).toBe(false);
      expect(isOrgAdmin(state, wsAdmin)).toBe(false);
      expect(isOrgAdmin(state, 'u-stranger')).toBe(false);
    });
  });

  describe('workspaceRoleOf', () => {
    it("R22 takes the highest of the direct role and every group's role", () => {
      const state = stateOf([
        ...world(),
        groupCreated('g-ops', 'Ops'),
        groupMembersAdded('g-ops', [carol, bob]),
        workspacePrincipalAdded(WS, groupP('g-ops'), 'editor'),
      ]);
      expect(workspaceRoleOf(state, carol, WS)).toBe('editor');
      expect(workspaceRoleOf(state, bob, WS)).toBe('editor');
      expect(workspaceRoleOf(state, alice, WS)).toBe('user');
      expect(workspaceRoleOf(state, orgAdmin2, WS)).toBeUndefined();
      expect(workspaceRoleOf(state, 'u-stranger', WS)).toBeUndefined();
    });
  });

  describe('effectiveProjectRole', () => {
    const events = (): OrganizationEvent[] => [
      ...world(),
      groupCreated('g-ops', 'Ops'),
      groupMembersAdded('g-ops', [bob, dave]),
      projectMemberAdded('p-1', groupP('g-ops'), 'user'),
    ];

    it('R28 the owner is owner, directly or as a member of the owner group', () => {
      const state = stateOf(events());
      expect(effectiveProjectRole(state, alice, 'p-1')).toBe('owner');
      expect(effectiveProjectRole(state, carol, 'p-2')).toBe('owner');
    });

    it("R28 the highest of the direct role and the groups' roles", () => {
      const state = stateOf(events());
      expect(effectiveProjectRole(state, bob, 'p-1')).toBe('user'); // viewer direct, user via g-ops
      expect(effectiveProjectRole(state, dave, 'p-1')).toBe('user'); // via g-ops only
    });

    it('R28 viewer for workspace editors and admins (directly or via a group) and org admins', () => {
      const state = stateOf([
        ...events(),
        groupCreated('g-editors', 'Editors'),
        groupMembersAdded('g-editors', [alice]),
        workspacePrincipalAdded(WS, groupP('g-editors'), 'editor'),
      ]);
      expect(effectiveProjectRole(state, editor, 'p-1')).toBe('viewer');
      expect(effectiveProjectRole(state, wsAdmin, 'p-2')).toBe('viewer');
      expect(effectiveProjectRole(state, orgAdmin2, 'p-1')).toBe('viewer');
      expect(effectiveProjectRole(state, alice, 'p-2')).toBe('viewer');
    });

    it('R28 nothing for workspace users and members without a project role, outsiders, unknown or deleted projects', () => {
      const state = stateOf([...events(), { type: 'ProjectDeleted', data: { projectId: 'p-2' } }]);
      expect(effectiveProjectRole(state, alice, 'p-2')).toBeUndefined();
      expect(effectiveProjectRole(state, carol, 'p-1')).toBeUndefined();
      expect(effectiveProjectRole(state, 'u-stranger', 'p-1')).toBeUndefined();
      expect(effectiveProjectRole(state, alice, 'p-none')).toBeUndefined();
      expect(effectiveProjectRole(state, wsAdmin, 'p-2')).toBeUndefined();
    });

    it('R28 workspace admins and org admins manage a project they do not own', () => {
      const addDaveAs = (actor: Actor) =>
        organizationDecider.decide(
          command('AddProjectMember', { projectId: 'p-1', principal: userP(dave) }, actor),
          stateOf(world()),
        );
      const added = [
        {
          type: 'ProjectMemberAdded',
          data: { projectId: 'p-1', principal: userP(dave), role: 'viewer' },
        },
      ];
      expect(addDaveAs(as('wsAdmin'))).toEqual(added);
      expect(addDaveAs(as('orgAdmin2'))).toEqual(added);
    });
  });

  describe('visibleWorkspaces', () => {
    it("R20 lists, in creation order, the workspaces seen, with the reader's role", () => {
      const state = stateOf(world());
      expect(visibleWorkspaces(state, 'u-admin')).toEqual([
        { workspaceId: 'ws-acme', name: 'Default', role: 'admin' },
        { workspaceId: WS, name: 'Research', role: null },
      ]);
      expect(visibleWorkspaces(state, carol)).toEqual([
        { workspaceId: WS, name: 'Research', role: 'user' },
      ]);
      expect(visibleWorkspaces(state, dave)).toEqual([]);
    });
  });

  describe('workspaceUsage', () => {
    it('R23 counts live projects, dashboards, groups and distinct users with access, direct or through groups', () => {
      const state = stateOf([
        ...world(),
        groupMembersAdded(ENG, [alice, dave]), // alice is also direct: counted once
        projectCreated('p-3', WS, userP(alice)),
        { type: 'ProjectDeleted', data: { projectId: 'p-3' } },
      ]);
      // direct: alice, bob, wsAdmin, editor; via g-eng: carol, alice, dave
      expect(workspaceUsage(state, WS)).toEqual({
        projects: 2,
        dashboards: 1,
        groups: 1,
        users: 6,
      });
      expect(workspaceUsage(state, 'ws-acme')).toEqual({
        projects: 0,
        dashboards: 0,
        groups: 0,
        users: 1,
      });
      expect(workspaceUsage(state, 'ws-none')).toBeUndefined();
    });
  });

  describe('visibleDashboards', () => {
    it('R29 workspace members see every dashboard, with the projects they may read', () => {
      const state = stateOf(world());
      expect(visibleDashboards(state, bob, WS).map((d) => d.accessibleProjectIds)).toEqual([
        ['p-1'],
      ]);
      expect(visibleDashboards(state, carol, WS).map((d) => d.accessibleProjectIds)).toEqual([[]]);
      expect(visibleDashboards(state, dave, WS)).toEqual([]);
      expect(visibleDashboards(state, bob, 'ws-none')).toEqual([]);
    });
  });
});
