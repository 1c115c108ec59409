/** Workspace roles, in increasing order of what they grant (R22). */
export type WorkspaceRole = 'member' | 'user' | 'editor' | 'admin';
/** Project roles, in increasing order (R25, R28). The owner is held apart: one per live project. */
export type ProjectRole = 'viewer' | 'user' | 'owner';
/** The roles a non-owner project member holds (R26). */
export type ProjectMemberRole = Exclude<ProjectRole, 'owner'>;

export const WORKSPACE_ROLES: readonly WorkspaceRole[] = ['member', 'user', 'editor', 'admin'];
export const PROJECT_ROLES: readonly ProjectRole[] = ['viewer', 'user', 'owner'];
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

export const projectRoleAtLeast = (role: ProjectRole | undefined, minimum: ProjectRole): boolean =>
  role !== undefined && PROJECT_ROLES.indexOf(role) >= PROJECT_ROLES.indexOf(minimum);

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
