import type { DashboardEvent } from '../../dashboard/dashboard.events.js';
import type { OrganizationState } from '../organization.state.js';

/**
 * Folds dashboard events; updates `state` in place (see decider.ts). Deleted dashboards leave
 * the state: nothing refers to a dashboard id, unlike project ids (see ProjectState.live).
 */
export function evolveDashboards(
  state: OrganizationState,
  event: DashboardEvent,
): OrganizationState {
  switch (event.type) {
    case 'DashboardCreated': {
      const { dashboardId, workspaceId, name, projectIds, createdBy } = event.data;
      state.dashboards.set(dashboardId, {
        dashboardId,
        workspaceId,
        name,
        projectIds: [...projectIds],
        createdBy,
      });
      state.workspaces.get(workspaceId)?.dashboardIds.add(dashboardId);
      return state;
    }
    case 'DashboardDeleted': {
      const dashboard = state.dashboards.get(event.data.dashboardId);
      if (!dashboard) return state;
      state.workspaces.get(dashboard.workspaceId)?.dashboardIds.delete(dashboard.dashboardId);
      state.dashboards.delete(dashboard.dashboardId);
      return state;
    }
    default: {
      const _exhaustive: never = event;
      return state;
    }
  }
}
