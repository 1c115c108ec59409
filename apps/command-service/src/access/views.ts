import {
  DomainError,
  isOrgAdmin,
  visibleDashboards,
  visibleProjects,
  visibleWorkspaces,
  workspaceRoleOf,
  workspaceUsage,
  type OrganizationState,
  type VisibleDashboard,
  type VisibleProject,
  type VisibleWorkspace,
  type WorkspaceUsage,
} from '#libs/domain';

/*
 * Reads of the access graph served from the organization aggregate, until the query service's
 * read models replace them. The rules of who sees what are the domain's read helpers; this
 * file only adds the readers the helpers do not know: support and auditors (`userId` null),
 * who read a whole organization (ADR 6).
 */

export interface GroupView {
  groupId: string;
  name: string;
  kind: 'manual' | 'directory';
  directoryGroupId: string | null;
  /** Sorted, so a listing does not depend on the order members joined. */
  memberIds: string[];
}

/** Every group; any active member may list them (they are picked when granting roles). */
export function listGroups(state: OrganizationState): GroupView[] {
  return [...state.groups.values()].map((group) => ({
    groupId: group.groupId,
    name: group.name,
    kind: group.kind,
    directoryGroupId: group.directoryGroupId ?? null,
    memberIds: [...group.members].sort(),
  }));
}

/** R20: what the reader sees; support and auditors see every workspace. */
export function listWorkspaces(
  state: OrganizationState,
  userId: string | null,
): VisibleWorkspace[] {
  if (userId !== null) return visibleWorkspaces(state, userId);
  return [...state.workspaces.values()].map(({ workspaceId, name }) => ({
    workspaceId,
    name,
    role: null,
  }));
}

/**
 * R23: workspace admins and org admins (and support and auditors) see a workspace's usage.
 * Members holding a lesser role are refused (403); to anyone who does not see the workspace at
 * all it does not exist (404, R20).
 */
export function usageOf(
  state: OrganizationState,
  userId: string | null,
  workspaceId: string,
): WorkspaceUsage {
  const usage = workspaceUsage(state, workspaceId);
  if (!usage) throw workspaceNotFound(workspaceId);
  if (userId === null || isOrgAdmin(state, userId)) return usage;
  const role = workspaceRoleOf(state, userId, workspaceId);
  if (role === undefined) throw workspaceNotFound(workspaceId);
  if (role !== 'admin') {
    throw new DomainError(
      'forbidden',
      'NOT_ALLOWED',
      'Only workspace admins and org admins see a workspace’s usage; ask one of them.',
    );
  }
  return usage;
}

export type ProjectView = Omit<VisibleProject, 'role'> & {
  /** The reader's effective role (R28); null for support and auditors, who hold none. */
  role: VisibleProject['role'] | null;
};

/** R22, R28: the workspace's projects the reader can access, with their effective role. */
export function listProjects(
  state: OrganizationState,
  userId: string | null,
  workspaceId: string,
): ProjectView[] {
  const workspace = state.workspaces.get(workspaceId);
  if (!workspace) throw workspaceNotFound(workspaceId);
  if (userId === null) {
    return [...workspace.projectIds].flatMap((projectId) => {
      const project = state.projects.get(projectId);
      return project?.live
        ? [{ projectId, name: project.name, owner: { ...project.owner }, role: null }]
        : [];
    });
  }
  const projects = visibleProjects(state, userId, workspaceId);
  // A project member outside the workspace still lists their projects; to a reader with
  // neither, the workspace does not exist (R20).
  if (projects.length === 0 && !seesWorkspace(state, userId, workspaceId)) {
    throw workspaceNotFound(workspaceId);
  }
  return projects;
}

/** R29: every workspace member sees all its dashboards, each with the projects it may read. */
export function listDashboards(
  state: OrganizationState,
  userId: string | null,
  workspaceId: string,
): VisibleDashboard[] {
  const workspace = state.workspaces.get(workspaceId);
  if (!workspace) throw workspaceNotFound(workspaceId);
  if (userId === null) {
    return [...workspace.dashboardIds].flatMap((dashboardId) => {
      const dashboard = state.dashboards.get(dashboardId);
      return dashboard
        ? [
            {
              dashboardId,
              name: dashboard.name,
              createdBy: dashboard.createdBy,
              projectIds: [...dashboard.projectIds],
              accessibleProjectIds: [...dashboard.projectIds],
            },
          ]
        : [];
    });
  }
  if (!seesWorkspace(state, userId, workspaceId)) throw workspaceNotFound(workspaceId);
  return visibleDashboards(state, userId, workspaceId);
}

/** R20: org admins see every workspace, others those where they hold a role. */
const seesWorkspace = (state: OrganizationState, userId: string, workspaceId: string): boolean =>
  isOrgAdmin(state, userId) || workspaceRoleOf(state, userId, workspaceId) !== undefined;

const workspaceNotFound = (workspaceId: string): DomainError =>
  new DomainError('not_found', 'WORKSPACE_NOT_FOUND', `Workspace ${workspaceId} not found.`, {
    workspaceId,
  });
