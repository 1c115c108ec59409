import type { ProjectMemberRole, ProjectRole } from '../project/project.events.js';
import type { WorkspaceRole } from '../workspace/workspace.events.js';

/** In increasing order of what they grant (R22). */
export const WORKSPACE_ROLES: readonly WorkspaceRole[] = ['member', 'user', 'editor', 'admin'];
/** In increasing order (R25, R28). */
export const PROJECT_ROLES: readonly ProjectRole[] = ['viewer', 'user', 'owner'];
/** The roles a non-owner project member may hold (R26). */
export const PROJECT_MEMBER_ROLES: readonly ProjectMemberRole[] = ['viewer', 'user'];

export const isWorkspaceRole = (role: unknown): role is WorkspaceRole =>
  WORKSPACE_ROLES.includes(role as WorkspaceRole);
export const isProjectMemberRole = (role: unknown): role is ProjectMemberRole =>
  PROJECT_MEMBER_ROLES.includes(role as ProjectMemberRole);

/** Whether `role` grants at least what `minimum` grants; no role grants nothing. */
export const workspaceRoleAtLeast = (
  role: WorkspaceRole | undefined,
  minimum: WorkspaceRole,
): boolean =>
  role !== undefined && WORKSPACE_ROLES.indexOf(role) >= WORKSPACE_ROLES.indexOf(minimum);

/** The higher of two roles of one ordered list; `undefined` means none. */
export function higherRole<Role extends string>(
  order: readonly Role[],
  a: Role | undefined,
  b: Role | undefined,
): Role | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return order.indexOf(a) >= order.indexOf(b) ? a : b;
}
