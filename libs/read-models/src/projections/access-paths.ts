import {
  projectGrants,
  workspaceGrants,
  type AccessPath,
  type ProjectRole,
  type WorkspaceRole,
} from '#libs/access';
import { principalKey, type Principal } from '#libs/access';
import type { OrganizationState, ProjectState } from '#libs/domain';
import type { GrantedVia } from '../documents.js';

/*
 * The user-project and workspace-member rows (R28, R30) are the access engine's answers
 * (libs/access, `projectGrants` / `workspaceGrants`) for the cells an event touched, with the
 * paths written as R30's `granted_via`: `direct`, `group:<name>`, `workspace:<role>`,
 * `org_admin`. The rule itself lives in the engine alone.
 */

export const grantedViaGroup = (name: string): GrantedVia => `group:${name}`;
export const grantedViaWorkspace = (role: WorkspaceRole): GrantedVia => `workspace:${role}`;

export interface ProjectAccess {
  role: ProjectRole;
  grantedVia: GrantedVia[];
  manages: boolean;
}

export interface WorkspaceMembership {
  role: WorkspaceRole;
  grantedVia: GrantedVia[];
}

const PROJECT_ROLE_ORDER: readonly ProjectRole[] = ['owner', 'user', 'viewer'];
const WORKSPACE_ROLE_ORDER: readonly WorkspaceRole[] = ['admin', 'editor', 'user', 'member'];

/** One path as a row lists it: the role it grants, its label, and how it sorts among equals. */
interface Labelled<Role> {
  role: Role;
  via: GrantedVia;
  /** direct 0, groups 1 (then by name), workspace 2, org admin 3. */
  rank: number;
}

/** The group a path goes through: its first edge is `user -member_of-> group:<id>`. */
function groupNameOf(state: OrganizationState, path: AccessPath): string {
  const groupId = path.edges[0].to.slice('group:'.length);
  return state.groups.get(groupId)?.name ?? groupId;
}

/** The role the last edge of a path grants (its relation), e.g. `user` for `group -user-> project`. */
const lastRelation = (path: AccessPath): string => path.edges[path.edges.length - 1].relation;

function labelProjectPath(state: OrganizationState, path: AccessPath): Labelled<ProjectRole> {
  switch (path.via) {
    case 'ownership':
      return path.edges.length === 1
        ? { role: 'owner', via: 'direct', rank: 0 }
        : { role: 'owner', via: grantedViaGroup(groupNameOf(state, path)), rank: 1 };
    case 'direct':
      return { role: lastRelation(path) as ProjectRole, via: 'direct', rank: 0 };
    case 'group':
      return {
        role: lastRelation(path) as ProjectRole,
        via: grantedViaGroup(groupNameOf(state, path)),
        rank: 1,
      };
    case 'workspace_role':
      return {
        role: 'viewer',
        via: grantedViaWorkspace(lastRelation(path) as WorkspaceRole),
        rank: 2,
      };
    default:
      return { role: 'viewer', via: 'org_admin', rank: 3 };
  }
}

/**
 * Highest role first; among equals direct, then groups by name, the workspace role (the
 * highest only, `workspace:admin` sorting before `workspace:editor`), then org admin.
 */
function ordered<Role extends string>(
  order: readonly Role[],
  paths: Labelled<Role>[],
): GrantedVia[] {
  paths.sort(
    (a, b) =>
      order.indexOf(a.role) - order.indexOf(b.role) ||
      a.rank - b.rank ||
      (a.via < b.via ? -1 : a.via > b.via ? 1 : 0),
  );
  const vias: GrantedVia[] = [];
  let workspaceListed = false;
  for (const path of paths) {
    if (path.rank === 2) {
      if (workspaceListed) continue;
      workspaceListed = true;
    }
    vias.push(path.via);
  }
  return vias;
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
  const grants = projectGrants(state, userId, project.projectId);
  if (!grants) return undefined;
  const labelled = grants.paths.map((path) => labelProjectPath(state, path));
  return {
    role: grants.role,
    grantedVia: ordered(PROJECT_ROLE_ORDER, labelled),
    manages: grants.manager,
  };
}

/** R20, R21: a member's role in a workspace, directly or through groups, with every path. */
export function workspaceMembershipOf(
  state: OrganizationState,
  userId: string,
  workspaceId: string,
): WorkspaceMembership | undefined {
  const grants = workspaceGrants(state, userId, workspaceId);
  if (!grants) return undefined;
  const labelled = grants.paths.map((path): Labelled<WorkspaceRole> =>
    path.via === 'direct'
      ? { role: lastRelation(path) as WorkspaceRole, via: 'direct', rank: 0 }
      : {
          role: lastRelation(path) as WorkspaceRole,
          via: grantedViaGroup(groupNameOf(state, path)),
          rank: 1,
        },
  );
  return { role: grants.role, grantedVia: ordered(WORKSPACE_ROLE_ORDER, labelled) };
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
  for (const groupId of state.groupsByUser.get(userId) ?? []) {
    if (principals.has(principalKey({ type: 'group', id: groupId }))) return true;
  }
  return false;
}

/** The principal keys a user acts as: their own and their groups'. */
function keysOf(state: OrganizationState, userId: string): string[] {
  const keys = [principalKey({ type: 'user', id: userId })];
  for (const groupId of state.groupsByUser.get(userId) ?? []) {
    keys.push(principalKey({ type: 'group', id: groupId }));
  }
  return keys;
}

/**
 * The live projects where a member holds a role of their own — owner or member, directly or
 * through a group: where their project_access rows are stored (ADR 22).
 */
export function projectsWithRoleOf(state: OrganizationState, userId: string): Set<string> {
  const ids = new Set<string>();
  if (!state.members.has(userId)) return ids;
  for (const key of keysOf(state, userId)) {
    for (const projectId of state.projectsByPrincipal.get(key) ?? []) ids.add(projectId);
  }
  return ids;
}

/** Whether a member holds a role on the project itself: owner or member, directly or through a group. */
export function holdsProjectRole(
  state: OrganizationState,
  userId: string,
  project: ProjectState,
): boolean {
  for (const key of keysOf(state, userId)) {
    if (principalKey(project.owner) === key || project.members.has(key)) return true;
  }
  return false;
}

/** The users holding a role on a project itself: its owner's and its members' users. */
export function projectRoleHolders(state: OrganizationState, project: ProjectState): Set<string> {
  const userIds = new Set<string>(usersOf(state, project.owner));
  for (const { principal } of project.members.values()) {
    for (const userId of usersOf(state, principal)) userIds.add(userId);
  }
  return userIds;
}
