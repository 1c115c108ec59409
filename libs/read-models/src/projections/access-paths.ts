import {
  groupsOf,
  isOrgAdmin,
  PROJECT_ROLES,
  principalKey,
  WORKSPACE_ROLES,
  workspaceRoleAtLeast,
  workspaceRoleOf,
  type OrganizationState,
  type Principal,
  type ProjectRole,
  type ProjectState,
  type WorkspaceRole,
} from '#libs/domain';
import type { GrantedVia } from '../documents.js';

/*
 * The paths by which a member holds a role (R28, R30), beside the domain's read helpers
 * (effectiveProjectRole, workspaceRoleOf), which give only the resulting role. The role here is
 * the highest path's, which is the domain's answer by construction: both take the highest of
 * ownership, the direct role, the groups' roles and, for projects, `viewer` for workspace
 * editors and admins and org admins. The projection specs check the two agree.
 */

export const grantedViaGroup = (name: string): GrantedVia => `group:${name}`;
export const grantedViaWorkspace = (role: WorkspaceRole): GrantedVia => `workspace:${role}`;

interface Path<Role> {
  role: Role;
  via: GrantedVia;
  /** Ties keep this order: direct, groups by name, workspace, org admin. */
  rank: number;
  name: string;
}

/** Highest role first; among equals direct, then groups by name, then workspace, then org admin. */
function ordered<Role extends string>(
  order: readonly Role[],
  paths: Path<Role>[],
): { role: Role; grantedVia: GrantedVia[] } | undefined {
  if (paths.length === 0) return undefined;
  if (paths.length > 1) {
    paths.sort(
      (a, b) =>
        order.indexOf(b.role) - order.indexOf(a.role) ||
        a.rank - b.rank ||
        (a.name < b.name ? -1 : a.name > b.name ? 1 : 0),
    );
  }
  return { role: paths[0].role, grantedVia: paths.map((path) => path.via) };
}

const RANK_DIRECT = 0;
const RANK_GROUP = 1;
const RANK_WORKSPACE = 2;
const RANK_ORG_ADMIN = 3;

export interface ProjectAccess {
  role: ProjectRole;
  grantedVia: GrantedVia[];
}

/**
 * R28, R30: a member's effective role on a live project and every path granting it, or
 * undefined for no access (and for non-members, deleted or unknown projects).
 */
export function projectAccessOf(
  state: OrganizationState,
  userId: string,
  project: ProjectState,
): ProjectAccess | undefined {
  if (!project.live || !state.members.has(userId)) return undefined;
  const paths: Path<ProjectRole>[] = [];
  const { owner, members } = project;
  if (owner.type === 'user' && owner.id === userId) {
    paths.push({ role: 'owner', via: 'direct', rank: RANK_DIRECT, name: '' });
  } else {
    const direct = members.get(principalKey({ type: 'user', id: userId }));
    if (direct) paths.push({ role: direct.role, via: 'direct', rank: RANK_DIRECT, name: '' });
  }
  for (const groupId of groupsOf(state, userId)) {
    const group = state.groups.get(groupId);
    if (!group) continue;
    const role: ProjectRole | undefined =
      owner.type === 'group' && owner.id === groupId
        ? 'owner'
        : members.get(principalKey({ type: 'group', id: groupId }))?.role;
    if (role !== undefined) {
      paths.push({ role, via: grantedViaGroup(group.name), rank: RANK_GROUP, name: group.name });
    }
  }
  const workspaceRole = workspaceRoleOf(state, userId, project.workspaceId);
  if (workspaceRoleAtLeast(workspaceRole, 'editor')) {
    paths.push({
      role: 'viewer',
      via: grantedViaWorkspace(workspaceRole as WorkspaceRole),
      rank: RANK_WORKSPACE,
      name: '',
    });
  }
  if (isOrgAdmin(state, userId)) {
    paths.push({ role: 'viewer', via: 'org_admin', rank: RANK_ORG_ADMIN, name: '' });
  }
  return ordered(PROJECT_ROLES, paths);
}

export interface WorkspaceMembership {
  role: WorkspaceRole;
  grantedVia: GrantedVia[];
}

/** R20, R21: a member's role in a workspace, directly or through groups, with every path. */
export function workspaceMembershipOf(
  state: OrganizationState,
  userId: string,
  workspaceId: string,
): WorkspaceMembership | undefined {
  const workspace = state.workspaces.get(workspaceId);
  if (!workspace || !state.members.has(userId)) return undefined;
  const paths: Path<WorkspaceRole>[] = [];
  const direct = workspace.principals.get(principalKey({ type: 'user', id: userId }));
  if (direct) paths.push({ role: direct.role, via: 'direct', rank: RANK_DIRECT, name: '' });
  for (const groupId of groupsOf(state, userId)) {
    const group = state.groups.get(groupId);
    const held = workspace.principals.get(principalKey({ type: 'group', id: groupId }));
    if (!group || !held) continue;
    paths.push({
      role: held.role,
      via: grantedViaGroup(group.name),
      rank: RANK_GROUP,
      name: group.name,
    });
  }
  return ordered(WORKSPACE_ROLES, paths);
}

/** The users a principal stands for in `state`: the user, or the group's current members. */
export function usersOf(state: OrganizationState, principal: Principal): Iterable<string> {
  if (principal.type === 'user') return [principal.id];
  return state.groups.get(principal.id)?.members ?? [];
}

/** Whether a user holds any role in a workspace, directly or through a group (R23's users). */
export function reachesWorkspace(
  state: OrganizationState,
  userId: string,
  workspaceId: string,
): boolean {
  const principals = state.workspaces.get(workspaceId)?.principals;
  if (!principals) return false;
  if (principals.has(principalKey({ type: 'user', id: userId }))) return true;
  for (const groupId of groupsOf(state, userId)) {
    if (principals.has(principalKey({ type: 'group', id: groupId }))) return true;
  }
  return false;
}

/**
 * The live projects where a member may have access (a superset is fine: rows are recomputed
 * one by one): their own and their groups' memberships and ownerships, every project of the
 * workspaces where they are editor or admin, and every live project for an org admin.
 */
export function candidateProjectsOfUser(state: OrganizationState, userId: string): Set<string> {
  const ids = new Set<string>();
  if (!state.members.has(userId)) return ids;
  if (isOrgAdmin(state, userId)) {
    for (const workspace of state.workspaces.values()) {
      for (const projectId of workspace.projectIds) ids.add(projectId);
    }
    return ids;
  }
  const keys = [principalKey({ type: 'user', id: userId })];
  for (const groupId of groupsOf(state, userId)) {
    keys.push(principalKey({ type: 'group', id: groupId }));
  }
  for (const key of keys) {
    for (const projectId of state.projectsByPrincipal.get(key) ?? []) ids.add(projectId);
    for (const workspaceId of state.workspacesByPrincipal.get(key) ?? []) {
      const workspace = state.workspaces.get(workspaceId);
      const role = workspace?.principals.get(key)?.role;
      if (workspace && workspaceRoleAtLeast(role, 'editor')) {
        for (const projectId of workspace.projectIds) ids.add(projectId);
      }
    }
  }
  return ids;
}

/**
 * The live projects a principal reaches as such: where it is owner or member, and every project
 * of the workspaces where it is editor or admin.
 */
export function projectsReachedBy(state: OrganizationState, principal: Principal): Set<string> {
  const key = principalKey(principal);
  const ids = new Set<string>(state.projectsByPrincipal.get(key) ?? []);
  for (const workspaceId of state.workspacesByPrincipal.get(key) ?? []) {
    const workspace = state.workspaces.get(workspaceId);
    if (workspace && workspaceRoleAtLeast(workspace.principals.get(key)?.role, 'editor')) {
      for (const projectId of workspace.projectIds) ids.add(projectId);
    }
  }
  return ids;
}
