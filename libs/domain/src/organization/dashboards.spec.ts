import { organizationDecider } from './organization.decider.js';
import { DeciderSpecification } from '../testing/decider-specification.js';
import { command, stateOf } from '../testing/organization.fixtures.js';
import {
  as,
  ENG,
  groupP,
  MEMBERS,
  projectCreated,
  projectMemberAdded,
  userP,
  workspaceCreated,
  world,
  WS,
} from '../testing/access-graph.fixtures.js';
import { visibleDashboards } from '../testing/access-answers.js';
import type { Actor } from '../shared/actor.js';

const given = DeciderSpecification.for(organizationDecider);
const { alice, bob, carol, dave } = MEMBERS;

const create = (projectIds: string[], actor: Actor = as('alice'), workspaceId = WS) =>
  command(
    'CreateDashboard',
    { dashboardId: 'd-new', workspaceId, name: ' KPIs ', projectIds },
    actor,
  );
const created = (projectIds: string[], createdBy: string) => ({
  type: 'DashboardCreated' as const,
  data: { dashboardId: 'd-new', workspaceId: WS, name: 'KPIs', projectIds, createdBy },
});

describe('dashboards', () => {
  it('R29 a workspace user creates a dashboard over projects they can access', () => {
    given([...world(), projectMemberAdded('p-2', userP(alice))])
      .when(create(['p-1', 'p-2', 'p-1']))
      .then([created(['p-1', 'p-2'], alice)]);
  });

  it('R29 access through a group, or as workspace editor, is enough', () => {
    given(world())
      .when(create(['p-2'], as('carol')))
      .then([created(['p-2'], carol)]);
    given(world())
      .when(create(['p-1', 'p-2'], as('editor')))
      .then([created(['p-1', 'p-2'], MEMBERS.editor)]);
    given(world())
      .when(create(['p-1'], as('orgAdmin2')))
      .then([created(['p-1'], MEMBERS.orgAdmin2)]);
  });

  it('R29 refuses a reader without access to every project, naming the missing ones', () => {
    given(world())
      .when(create(['p-1', 'p-2']))
      .thenThrows('PROJECT_ACCESS_REQUIRED', (e) => {
        expect(e.kind).toBe('forbidden');
        expect(e.details).toEqual({ projectIds: ['p-2'] });
      });
  });

  it('R29 creating takes workspace role user or higher: members are refused, even with project access', () => {
    given(world())
      .when(create(['p-1'], as('bob')))
      .thenThrows('NOT_ALLOWED', (e) =>
        expect(e.message).toContain('workspace role user or higher'),
      );
    given(world())
      .when(create(['p-1'], as('dave')))
      .thenThrows('NOT_ALLOWED');
  });

  it('R29 projects must be live projects of the same workspace, at least one', () => {
    const events = [
      ...world(),
      workspaceCreated('ws-2', 'Sales'),
      projectCreated('p-9', 'ws-2', userP(alice)),
      { type: 'ProjectDeleted' as const, data: { projectId: 'p-2' } },
    ];
    given(events)
      .when(create(['p-1', 'p-9']))
      .thenThrows('PROJECT_NOT_IN_WORKSPACE', (e) => {
        expect(e.kind).toBe('rule');
        expect(e.details).toEqual({ workspaceId: WS, projectIds: ['p-9'] });
      });
    given(events)
      .when(create(['p-1', 'p-2']))
      .thenThrows('PROJECT_NOT_FOUND', (e) => expect(e.details).toEqual({ projectId: 'p-2' }));
    given(events)
      .when(create(['p-1', 'p-none']))
      .thenThrows('PROJECT_NOT_FOUND', (e) => expect(e.kind).toBe('not_found'));
    given(world())
      .when(create([]))
      .thenThrows('DASHBOARD_NEEDS_PROJECTS', (e) => expect(e.kind).toBe('invalid'));
    given(world())
      .when(create(['p-1'], as('alice'), 'ws-none'))
      .thenThrows('WORKSPACE_NOT_FOUND');
  });

  it('R29 refuses a dashboard id already in use', () => {
    given(world())
      .when(
        command(
          'CreateDashboard',
          { dashboardId: 'd-1', workspaceId: WS, name: 'X', projectIds: ['p-1'] },
          as('alice'),
        ),
      )
      .thenThrows('DASHBOARD_ALREADY_EXISTS');
  });

  it('R29 its creator, workspace admins and org admins delete it', () => {
    for (const actor of [as('alice'), as('wsAdmin'), as('orgAdmin2')]) {
      given(world())
        .when(command('DeleteDashboard', { dashboardId: 'd-1' }, actor))
        .then([{ type: 'DashboardDeleted', data: { dashboardId: 'd-1' } }]);
    }
  });

  it('R29 others cannot delete it, editors and project owners included', () => {
    for (const name of ['editor', 'bob', 'carol', 'dave'] as const) {
      given(world())
        .when(command('DeleteDashboard', { dashboardId: 'd-1' }, as(name)))
        .thenThrows('NOT_ALLOWED', (e) =>
          expect(e.message).toBe(
            'Only the creator of a dashboard, admins of its workspace and org admins delete it.',
          ),
        );
    }
    given(world())
      .when(command('DeleteDashboard', { dashboardId: 'd-none' }))
      .thenThrows('DASHBOARD_NOT_FOUND', (e) => expect(e.kind).toBe('not_found'));
  });

  it('R29 every workspace member sees every dashboard, with only the projects they may read', () => {
    const state = stateOf([
      ...world(),
      projectMemberAdded('p-2', userP(alice)),
      {
        type: 'DashboardCreated',
        data: {
          dashboardId: 'd-2',
          workspaceId: WS,
          name: 'All',
          projectIds: ['p-1', 'p-2'],
          createdBy: alice,
        },
      },
    ]);
    const view = (userId: string) =>
      visibleDashboards(state, userId, WS).map((d) => [d.dashboardId, d.accessibleProjectIds]);
    expect(view(bob)).toEqual([
      ['d-1', ['p-1']],
      ['d-2', ['p-1']],
    ]);
    expect(view(carol)).toEqual([
      ['d-1', []],
      ['d-2', ['p-2']],
    ]);
    expect(view(MEMBERS.editor)).toEqual([
      ['d-1', ['p-1']],
      ['d-2', ['p-1', 'p-2']],
    ]);
    expect(view(MEMBERS.orgAdmin2)).toEqual([
      ['d-1', ['p-1']],
      ['d-2', ['p-1', 'p-2']],
    ]);
    expect(view(dave)).toEqual([]);
    expect(visibleDashboards(state, bob, WS)[1]).toEqual({
      dashboardId: 'd-2',
      name: 'All',
      createdBy: alice,
      projectIds: ['p-1', 'p-2'],
      accessibleProjectIds: ['p-1'],
    });
  });

  it('R29 a deleted project is served to nobody; a deleted dashboard is seen by nobody', () => {
    const state = stateOf([...world(), { type: 'ProjectDeleted', data: { projectId: 'p-1' } }]);
    expect(visibleDashboards(state, alice, WS)).toEqual([
      expect.objectContaining({
        dashboardId: 'd-1',
        projectIds: ['p-1'],
        accessibleProjectIds: [],
      }),
    ]);
    const gone = stateOf([...world(), { type: 'DashboardDeleted', data: { dashboardId: 'd-1' } }]);
    expect(visibleDashboards(gone, alice, WS)).toEqual([]);
    expect(gone.workspaces.get(WS)?.dashboardIds.size).toBe(0);
  });

  it('R29 a group member of the workspace sees its dashboards', () => {
    const state = stateOf([...world(), projectMemberAdded('p-1', groupP(ENG))]);
    expect(visibleDashboards(state, carol, WS)[0]?.accessibleProjectIds).toEqual(['p-1']);
  });
});
