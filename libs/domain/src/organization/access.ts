import { check, type AccessQuery } from '#libs/access';
import type { OrganizationState, ProjectState } from './organization.state.js';

/*
 * What the deciders ask of the access graph. Every rule — who views, edits, manages (R20-R29)
 * — is the access engine's (libs/access): the deciders, the projections' rows and the query
 * side ask the same function, so a rule has one meaning.
 */

export { isOrgAdmin } from '#libs/access';

/** Whether a member may do what `query` asks now, as the access engine answers (R31). */
export const memberMay = (state: OrganizationState, userId: string, query: AccessQuery): boolean =>
  check(state, { type: 'user', id: userId }, query).allowed;

/** The project, unless it is unknown or deleted (a tombstone). */
export function liveProject(state: OrganizationState, projectId: string): ProjectState | undefined {
  const project = state.projects.get(projectId);
  return project?.live ? project : undefined;
}

export interface WorkspaceUsage {
  projects: number;
  dashboards: number;
  /** Groups holding a role in the workspace. */
  groups: number;
  /** Distinct users with a role, directly or through a group. */
  users: number;
}

/** R23. Undefined for an unknown workspace. Who may see it is the caller's check (R22). */
export function workspaceUsage(
  state: OrganizationState,
  workspaceId: string,
): WorkspaceUsage | undefined {
  const workspace = state.workspaces.get(workspaceId);
  if (!workspace) return undefined;
  const users = new Set<string>();
  let groups = 0;
  for (const { principal } of workspace.principals.values()) {
    if (principal.type === 'user') {
      users.add(principal.id);
    } else {
      groups += 1;
      for (const userId of state.groups.get(principal.id)?.members ?? []) users.add(userId);
    }
  }
  return {
    projects: workspace.projectIds.size,
    dashboards: workspace.dashboardIds.size,
    groups,
    users: users.size,
  };
}
