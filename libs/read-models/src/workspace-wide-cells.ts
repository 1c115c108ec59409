import {
  isOrgAdmin,
  principalKey,
  projectCell,
  WORKSPACE_CELLS_MARK,
  workspaceWideProjectGrants,
  type ProjectCell,
} from '#libs/access';
import { workspaceRoleAtLeast, type OrganizationState } from '#libs/domain';
import type { ProjectedEvent } from './projection.js';
import { usersOf } from './projections/access-paths.js';
import { membershipChangedBy } from './projections/members.projection.js';

/*
 * The workspace half of the project cells (ADR 22): per member and workspace, the engine's
 * answer for every project of it where the member holds no role of their own — `viewer` for
 * workspace editors and admins and for org admins (R22, R28). One cell per (member, workspace)
 * is what lets a promotion to full_access cost the same as any other role change: it rewrites
 * a cell per workspace, not one per project.
 */

/** The project cells as AccessGraphs keeps them (libs/access ProjectCellIndex). */
export interface MutableCellIndex {
  projects: Map<string, Map<string, ProjectCell>>;
  workspaces: Map<string, Map<string, ProjectCell>>;
}

const NOBODY: readonly string[] = [];

/**
 * The members whose workspace-wide answers an event may change, noted on the state before it
 * (the members of a group being deleted): the members whose membership changes, the users a
 * workspace grant reaches, and the org admins when a workspace appears.
 */
export function workspaceCellsScope(
  event: ProjectedEvent,
  before: OrganizationState,
): Iterable<string> {
  const members = membershipChangedBy(event, before);
  if (members !== undefined) return members;
  switch (event.type) {
    case 'WorkspaceCreated':
      return [...before.activeFullAccess];
    case 'WorkspacePrincipalAdded':
    case 'WorkspacePrincipalRoleChanged':
    case 'WorkspacePrincipalRemoved':
      return [...usersOf(before, event.data.principal)];
    default:
      return NOBODY;
  }
}

/**
 * Recomputes a member's workspace cells from the engine over `after`: every workspace for an
 * org admin, else those where they or one of their groups hold a role (a superset: the engine
 * answers each). Only answers that grant something are kept.
 */
export function refreshWorkspaceCells(
  cells: MutableCellIndex,
  after: OrganizationState,
  userId: string,
): void {
  cells.workspaces.delete(userId);
  const ofUser = new Map<string, ProjectCell>();
  const member = after.members.get(userId);
  if (member) {
    const active = member.status === 'active';
    for (const workspaceId of candidateWorkspaces(after, userId)) {
      const grants = workspaceWideProjectGrants(after, userId, workspaceId);
      if (grants) ofUser.set(workspaceId, projectCell(grants.role, grants.manager, active));
    }
  }
  let projects = cells.projects.get(userId);
  if (ofUser.size > 0) {
    cells.workspaces.set(userId, ofUser);
    if (!projects) cells.projects.set(userId, (projects = new Map()));
    projects.set(WORKSPACE_CELLS_MARK, 0);
  } else if (projects?.delete(WORKSPACE_CELLS_MARK) && projects.size === 0) {
    cells.projects.delete(userId);
  }
}

/**
 * Every member's workspace cells over `state`, for cells first built from a state rather than
 * kept from the first event: the org admins' and the users of every editor or admin principal
 * (a superset: refreshWorkspaceCells asks the engine for each).
 */
export function buildWorkspaceCells(cells: MutableCellIndex, state: OrganizationState): void {
  const userIds = new Set<string>(state.activeFullAccess);
  for (const workspace of state.workspaces.values()) {
    for (const { principal, role } of workspace.principals.values()) {
      if (!workspaceRoleAtLeast(role, 'editor')) continue;
      for (const userId of usersOf(state, principal)) userIds.add(userId);
    }
  }
  for (const userId of userIds) refreshWorkspaceCells(cells, state, userId);
}

function candidateWorkspaces(state: OrganizationState, userId: string): Iterable<string> {
  if (isOrgAdmin(state, userId)) return state.workspaces.keys();
  const ids = new Set<string>();
  const keys = [principalKey({ type: 'user', id: userId })];
  for (const groupId of state.groupsByUser.get(userId) ?? []) {
    keys.push(principalKey({ type: 'group', id: groupId }));
  }
  for (const key of keys) {
    for (const workspaceId of state.workspacesByPrincipal.get(key) ?? []) ids.add(workspaceId);
  }
  return ids;
}
