import type { CreateDashboard, DeleteDashboard } from '../../dashboard/dashboard.commands.js';
import type { DashboardCreated, DashboardDeleted } from '../../dashboard/dashboard.events.js';
import { requireId, requireName } from '../../shared/validation.js';
import { liveProject, memberMay } from '../access.js';
import { requireWorkspaceUser } from '../access-graph.authorize.js';
import { AccessErrors } from '../errors/access.errors.js';
import { DashboardErrors } from '../errors/dashboards.errors.js';
import { ProjectErrors } from '../errors/projects.errors.js';
import type { MemberState, OrganizationState } from '../organization.state.js';
import { requireIdList } from './principals.js';
import { requireWorkspace } from './workspaces.decide.js';

/**
 * R29: workspace role `user` or higher (or org admin), and access to every project the
 * dashboard reads; those are live projects of the same workspace, at least one.
 */
export function decideCreateDashboard(
  command: CreateDashboard,
  state: OrganizationState,
  actor: MemberState,
): DashboardCreated[] {
  const dashboardId = requireId(command.data.dashboardId, 'dashboardId');
  const name = requireName(command.data.name, 'name', 'INVALID_DASHBOARD_NAME', 128);
  const projectIds = requireIdList(command.data.projectIds, DashboardErrors.invalidProjectIds);
  const workspace = requireWorkspace(state, command.data.workspaceId);
  requireWorkspaceUser(
    state,
    actor.userId,
    workspace.workspaceId,
    'Creating a dashboard takes workspace role user or higher; ask an admin of this workspace.',
  );
  if (state.dashboards.has(dashboardId)) throw DashboardErrors.dashboardAlreadyExists(dashboardId);
  // Unknown and deleted projects are 404s like any unknown id (R38, S1); live projects of
  // another workspace break R29's rule.
  const unknown = projectIds.find((projectId) => !liveProject(state, projectId));
  if (unknown !== undefined) throw ProjectErrors.projectNotFound(unknown);
  const elsewhere = projectIds.filter(
    (projectId) => liveProject(state, projectId)?.workspaceId !== workspace.workspaceId,
  );
  if (elsewhere.length > 0) {
    throw DashboardErrors.projectNotInWorkspace(workspace.workspaceId, elsewhere);
  }
  const inaccessible = projectIds.filter(
    (projectId) => !memberMay(state, actor.userId, { kind: 'project', projectId, action: 'view' }),
  );
  if (inaccessible.length > 0) throw DashboardErrors.projectAccessRequired(inaccessible);
  return [
    {
      type: 'DashboardCreated',
      data: {
        dashboardId,
        workspaceId: workspace.workspaceId,
        name,
        projectIds,
        createdBy: actor.userId,
      },
    },
  ];
}

/** R29: its creator, admins of its workspace and org admins. */
export function decideDeleteDashboard(
  command: DeleteDashboard,
  state: OrganizationState,
  actor: MemberState,
): DashboardDeleted[] {
  const dashboardId = requireId(command.data.dashboardId, 'dashboardId');
  const dashboard = state.dashboards.get(dashboardId);
  if (!dashboard) throw DashboardErrors.dashboardNotFound(dashboardId);
  if (!memberMay(state, actor.userId, { kind: 'dashboard', dashboardId, action: 'delete' })) {
    throw AccessErrors.notAllowed(
      'Only the creator of a dashboard, admins of its workspace and org admins delete it.',
    );
  }
  return [{ type: 'DashboardDeleted', data: { dashboardId } }];
}
