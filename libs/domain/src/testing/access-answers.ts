import {
  check,
  projectGrants,
  workspaceGrants,
  type ProjectRole,
  type WorkspaceRole,
} from '#libs/access';
import type { OrganizationState } from '../organization/organization.state.js';

/*
 * The access engine's answers in the shapes the domain's specs assert on: thin readings of
 * libs/access, never a second statement of a rule.
 */

/** A member's role in a workspace, directly or through groups, whatever their status. */
export const workspaceRoleOf = (
  state: OrganizationState,
  userId: string,
  workspaceId: string,
): WorkspaceRole | undefined => workspaceGrants(state, userId, workspaceId)?.role;

/** A member's effective role on a live project (R28), whatever their status. */
export const effectiveProjectRole = (
  state: OrganizationState,
  userId: string,
  projectId: string,
): ProjectRole | undefined => projectGrants(state, userId, projectId)?.role;

const member = (userId: string) => ({ type: 'user' as const, id: userId });

/** R20: the workspaces a member sees, in creation order, with their own role (null for none). */
export function visibleWorkspaces(state: OrganizationState, userId: string) {
  return [...state.workspaces.values()]
    .filter(
      ({ workspaceId }) =>
        check(state, member(userId), { kind: 'workspace', workspaceId, action: 'view' }).allowed,
    )
    .map(({ workspaceId, name }) => ({
      workspaceId,
      name,
      role: workspaceRoleOf(state, userId, workspaceId) ?? null,
    }));
}

/** R29: a workspace's dashboards as a member sees them, with the projects whose data they see. */
export function visibleDashboards(state: OrganizationState, userId: string, workspaceId: string) {
  const workspace = state.workspaces.get(workspaceId);
  const sees = check(state, member(userId), { kind: 'workspace', workspaceId, action: 'view' });
  if (!workspace || !sees.allowed) return [];
  return [...workspace.dashboardIds].flatMap((dashboardId) => {
    const dashboard = state.dashboards.get(dashboardId);
    if (!dashboard) return [];
    const { name, createdBy, projectIds } = dashboard;
    const accessibleProjectIds = projectIds.filter(
      (projectId) =>
        check(state, member(userId), {
          kind: 'dashboard',
          dashboardId,
          action: 'view_data',
          projectId,
        }).allowed,
    );
    return [{ dashboardId, name, createdBy, projectIds: [...projectIds], accessibleProjectIds }];
  });
}
