import {
  groupsOf,
  isOrgAdmin,
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
  /** Ties keep this order: direct, groups by name. */
  rank: number;
  name: string;
}

/** Highest role first; among equals direct, then groups by name. */
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

export interface ProjectAccess {
  role: ProjectRole;
  grantedVia: GrantedVia[];
}

/**
 * What a member's project access depends on besides the project, computed once per member
 * when many of their rows are recomputed together (a group joined, a member's status).
 */
export interface MemberAccessContext {
  userId: string;
  userKey: string;
  /**
   * The member's groups, by name (R30 lists group paths in name order); see `groupsIn`. Left
   * undefined until a project needs them: a project with no members and a user owner (every
   * project just created) does not, and its rows are written for every org admin.
   */
  groups: { groupId: string; key: string; via: GrantedVia }[] | undefined;
  orgAdmin: boolean;
  /** Workspace id -> the member's role there (R20), filled as projects ask. */
  workspaceRoles: Map<string, WorkspaceRole | undefined>;
}

export function memberAccessContext(
  state: OrganizationState,
  userId: string,
): MemberAccessContext | undefined {
  if (!state.members.has(userId)) return undefined;
  return {
    userId,
    userKey: principalKey({ type: 'user', id: userId }),
    groups: undefined,
    orgAdmin: isOrgAdmin(state, userId),
    workspaceRoles: new Map(),
  };
}

/** The context's groups, computed on first use. */
function groupsIn(
  state: OrganizationState,
  context: MemberAccessContext,
): NonNullable<MemberAccessContext['groups']> {
  if (context.groups !== undefined) return context.groups;
  const groups: NonNullable<MemberAccessContext['groups']> = [];
  for (const groupId of groupsOf(state, context.userId)) {
    const group = state.groups.get(groupId);
    if (group) {
      groups.push({
        groupId,
        key: principalKey({ type: 'group', id: groupId }),
        via: grantedViaGroup(group.name),
      });
    }
  }
  if (groups.length > 1) groups.sort((a, b) => (a.via < b.via ? -1 : a.via > b.via ? 1 : 0));
  context.groups = groups;
  return groups;
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
  const context = memberAccessContext(state, userId);
  return context && projectAccessIn(state, context, project);
}

/**
 * projectAccessOf for a member's precomputed context. Paths are bucketed by role, each bucket
 * in the order direct, groups by name, workspace, org admin: the highest role's come first.
 */
export function projectAccessIn(
  state: OrganizationState,
  context: MemberAccessContext,
  project: ProjectState,
): ProjectAccess | undefined {
  if (!project.live) return undefined;
  const owner: GrantedVia[] = [];
  const user: GrantedVia[] = [];
  const viewer: GrantedVia[] = [];
  const bucket = (role: ProjectRole) =>
    role === 'owner' ? owner : role === 'user' ? user : viewer;
  const { owner: ownerPrincipal, members } = project;
  if (ownerPrincipal.type === 'user' && ownerPrincipal.id === context.userId) {
    owner.push('direct');
  } else if (members.size > 0) {
    const direct = members.get(context.userKey);
    if (direct) bucket(direct.role).push('direct');
  }
  // Groups reach the project only as its owner or among its members.
  if (ownerPrincipal.type === 'group' || members.size > 0) {
    for (const group of groupsIn(state, context)) {
      if (ownerPrincipal.type === 'group' && ownerPrincipal.id === group.groupId) {
        owner.push(group.via);
      } else if (members.size > 0) {
        const held = members.get(group.key);
        if (held) bucket(held.role).push(group.via);
      }
    }
  }
  let workspaceRole = context.workspaceRoles.get(project.workspaceId);
  if (workspaceRole === undefined && !context.workspaceRoles.has(project.workspaceId)) {
    workspaceRole = workspaceRoleOf(state, context.userId, project.workspaceId);
    context.workspaceRoles.set(project.workspaceId, workspaceRole);
  }
  if (workspaceRole === 'editor' || workspaceRole === 'admin') {
    viewer.push(grantedViaWorkspace(workspaceRole));
  }
  if (context.orgAdmin) viewer.push('org_admin');
  if (owner.length > 0) {
    return { role: 'owner', grantedVia: concat(owner, user, viewer) };
  }
  if (user.length > 0) return { role: 'user', grantedVia: concat(user, viewer) };
  if (viewer.length > 0) return { role: 'viewer', grantedVia: viewer };
  return undefined;
}

const concat = (first: GrantedVia[], ...rest: GrantedVia[][]): GrantedVia[] => {
  for (const more of rest) for (const via of more) first.push(via);
  return first;
};

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
