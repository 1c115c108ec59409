import type { ProjectRole } from '../project/project.events.js';
import { principalKey, type Principal } from '../shared/principal.js';
import type { WorkspaceRole } from '../workspace/workspace.events.js';
import { FULL_ACCESS, type OrganizationState, type ProjectState } from './organization.state.js';
import { higherRole, PROJECT_ROLES, WORKSPACE_ROLES, workspaceRoleAtLeast } from './roles-order.js';

/*
 * Pure read helpers over the organization state: the deciders authorize with them, and the
 * HTTP reads and the access library answer with the same code, so a rule has one meaning.
 *
 * Roles here are structural: they say what the access graph grants a member whatever their
 * status. Whether an invited or deactivated member may act is settled where the actor is
 * resolved (organization.authorize.ts), and exports list status beside access (R30).
 */

const NO_GROUPS: ReadonlySet<string> = new Set();

/** SPEC §2: an org admin is an active member whose role is full_access. */
export function isOrgAdmin(state: OrganizationState, userId: string): boolean {
  const member = state.members.get(userId);
  return member !== undefined && member.status === 'active' && member.roleId === FULL_ACCESS;
}

/** The groups a member belongs to (empty for anyone else). */
export const groupsOf = (state: OrganizationState, userId: string): ReadonlySet<string> =>
  state.groupsByUser.get(userId) ?? NO_GROUPS;

/** Whether a principal is the user or a group holding the user. */
export function principalIncludesUser(
  state: OrganizationState,
  principal: Principal,
  userId: string,
): boolean {
  return principal.type === 'user'
    ? principal.id === userId
    : (state.groups.get(principal.id)?.members.has(userId) ?? false);
}

/**
 * A member's role in a workspace: the highest of their direct role and their groups' roles
 * (R20, R22); undefined when they hold none. Org admins are not given one here: what they may
 * do comes from isOrgAdmin, which callers check beside it.
 */
export function workspaceRoleOf(
  state: OrganizationState,
  userId: string,
  workspaceId: string,
): WorkspaceRole | undefined {
  const workspace = state.workspaces.get(workspaceId);
  if (!workspace || !state.members.has(userId)) return undefined;
  let role = workspace.principals.get(principalKey({ type: 'user', id: userId }))?.role;
  for (const groupId of groupsOf(state, userId)) {
    const viaGroup = workspace.principals.get(principalKey({ type: 'group', id: groupId }))?.role;
    role = higherRole(WORKSPACE_ROLES, role, viaGroup);
  }
  return role;
}

/** R21, R22: org admins and workspace admins administer a workspace. */
export const isWorkspaceAdmin = (
  state: OrganizationState,
  userId: string,
  workspaceId: string,
): boolean => workspaceRoleAtLeast(workspaceRoleOf(state, userId, workspaceId), 'admin');

export function liveProject(state: OrganizationState, projectId: string): ProjectState | undefined {
  const project = state.projects.get(projectId);
  return project?.live ? project : undefined;
}

/**
 * R28: the highest of ownership (the owner principal is the user or one of their groups), the
 * direct role, their groups' roles, and `viewer` for workspace editors and admins and org
 * admins. Undefined for no access, and for deleted or unknown projects.
 */
export function effectiveProjectRole(
  state: OrganizationState,
  userId: string,
  projectId: string,
): ProjectRole | undefined {
  const project = liveProject(state, projectId);
  if (!project || !state.members.has(userId)) return undefined;
  if (principalIncludesUser(state, project.owner, userId)) return 'owner';
  let role: ProjectRole | undefined = project.members.get(
    principalKey({ type: 'user', id: userId }),
  )?.role;
  for (const groupId of groupsOf(state, userId)) {
    const viaGroup = project.members.get(principalKey({ type: 'group', id: groupId }))?.role;
    role = higherRole(PROJECT_ROLES, role, viaGroup);
  }
  if (role === undefined && seesEveryProject(state, userId, project.workspaceId)) role = 'viewer';
  return role;
}

/** R22, R28: workspace editors and admins, and org admins, view every project of a workspace. */
const seesEveryProject = (state: OrganizationState, userId: string, workspaceId: string): boolean =>
  isOrgAdmin(state, userId) ||
  workspaceRoleAtLeast(workspaceRoleOf(state, userId, workspaceId), 'editor');

/**
 * R25-R27: who manages a project's members and ownership and may delete it: its owner
 * (members of an owner group included), the workspace's admins and org admins.
 */
export function managesProject(
  state: OrganizationState,
  userId: string,
  project: ProjectState,
): boolean {
  return (
    principalIncludesUser(state, project.owner, userId) ||
    isWorkspaceAdmin(state, userId, project.workspaceId) ||
    isOrgAdmin(state, userId)
  );
}

export interface VisibleWorkspace {
  workspaceId: string;
  name: string;
  /** The reader's own role, direct or via a group; null for an org admin who holds none. */
  role: WorkspaceRole | null;
}

/** R20: org admins see every workspace; others those where they hold a role, directly or via a group. */
export function visibleWorkspaces(state: OrganizationState, userId: string): VisibleWorkspace[] {
  if (!state.members.has(userId)) return [];
  const ids = new Set<string>();
  if (isOrgAdmin(state, userId)) {
    for (const id of state.workspaces.keys()) ids.add(id);
  } else {
    const keys = [principalKey({ type: 'user', id: userId })];
    for (const groupId of groupsOf(state, userId))
      keys.push(principalKey({ type: 'group', id: groupId }));
    for (const key of keys)
      for (const id of state.workspacesByPrincipal.get(key) ?? []) ids.add(id);
  }
  const visible: VisibleWorkspace[] = [];
  // In creation order (the Map's), whichever index the ids came from.
  for (const workspace of state.workspaces.values()) {
    if (!ids.has(workspace.workspaceId)) continue;
    const role = workspaceRoleOf(state, userId, workspace.workspaceId) ?? null;
    visible.push({ workspaceId: workspace.workspaceId, name: workspace.name, role });
  }
  return visible;
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

export interface VisibleDashboard {
  dashboardId: string;
  name: string;
  createdBy: string;
  /** Every project it reads. */
  projectIds: string[];
  /** Those whose data this reader may see (R28): the dashboard serves only these. */
  accessibleProjectIds: string[];
}

/**
 * R29: every member of the workspace (directly or through a group), and org admins (R20), see
 * all its dashboards; each lists the projects whose data the reader may see.
 */
export function visibleDashboards(
  state: OrganizationState,
  userId: string,
  workspaceId: string,
): VisibleDashboard[] {
  const workspace = state.workspaces.get(workspaceId);
  if (!workspace) return [];
  if (workspaceRoleOf(state, userId, workspaceId) === undefined && !isOrgAdmin(state, userId)) {
    return [];
  }
  const visible: VisibleDashboard[] = [];
  for (const dashboardId of workspace.dashboardIds) {
    const dashboard = state.dashboards.get(dashboardId);
    if (!dashboard) continue;
    visible.push({
      dashboardId,
      name: dashboard.name,
      createdBy: dashboard.createdBy,
      projectIds: [...dashboard.projectIds],
      accessibleProjectIds: dashboard.projectIds.filter(
        (projectId) => effectiveProjectRole(state, userId, projectId) !== undefined,
      ),
    });
  }
  return visible;
}

export interface VisibleProject {
  projectId: string;
  name: string;
  owner: Principal;
  role: ProjectRole;
}

/**
 * R22: workspace editors and admins (and org admins) see every project of the workspace; others
 * the ones where they hold a role, directly, through a group or as owner.
 */
export function visibleProjects(
  state: OrganizationState,
  userId: string,
  workspaceId: string,
): VisibleProject[] {
  const workspace = state.workspaces.get(workspaceId);
  if (!workspace || !state.members.has(userId)) return [];
  let candidates: Iterable<string>;
  if (seesEveryProject(state, userId, workspaceId)) {
    candidates = workspace.projectIds;
  } else {
    // Only the reader's own memberships: never a scan of every project in a large workspace.
    const ids = new Set<string>();
    const keys = [principalKey({ type: 'user', id: userId })];
    for (const groupId of groupsOf(state, userId))
      keys.push(principalKey({ type: 'group', id: groupId }));
    for (const key of keys) {
      for (const id of state.projectsByPrincipal.get(key) ?? []) {
        if (workspace.projectIds.has(id)) ids.add(id);
      }
    }
    candidates = ids;
  }
  const visible: VisibleProject[] = [];
  for (const projectId of candidates) {
    const project = liveProject(state, projectId);
    const role = effectiveProjectRole(state, userId, projectId);
    if (!project || role === undefined) continue;
    visible.push({ projectId, name: project.name, owner: { ...project.owner }, role });
  }
  return visible;
}
