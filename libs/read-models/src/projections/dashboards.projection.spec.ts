import { Collections, type DashboardDocument } from '../documents.js';
import { History, userActor } from './testing/history.js';

describe('dashboards projection', () => {
  it('R29 a dashboard is listed with its workspace, projects and creator until deleted', () => {
    const history = new History();
    history.member('u-alice', 'alice@acme.test');
    history.run('ChangeWorkspacePrincipalRole', {
      workspaceId: 'ws-default',
      principal: { type: 'user', id: 'u-alice' },
      role: 'editor',
    });
    const alice = userActor('alice@acme.test');
    history.run('CreateProject', { projectId: 'p-1', workspaceId: 'ws-default', name: 'A' }, alice);
    history.run(
      'CreateDashboard',
      { dashboardId: 'd-1', workspaceId: 'ws-default', name: 'Overview', projectIds: ['p-1'] },
      alice,
    );
    expect(history.doc<DashboardDocument>(Collections.dashboards, 'd-1')).toEqual({
      _id: 'acme:d-1',
      organizationId: 'acme',
      dashboardId: 'd-1',
      workspaceId: 'ws-default',
      name: 'Overview',
      projectIds: ['p-1'],
      createdBy: 'u-alice',
    });
    history.run('DeleteDashboard', { dashboardId: 'd-1' }, alice);
    expect(history.doc(Collections.dashboards, 'd-1')).toBeUndefined();
  });
});
