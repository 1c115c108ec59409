import { isOrgAdmin, memberMay } from './access.js';
import { AccessErrors } from './errors/access.errors.js';
import type { OrganizationState, ProjectState } from './organization.state.js';

/*
 * Authority over the access graph (R17-R29). Each refusal says who may do it instead, so the
 * user knows whom to ask.
 */

export function requireOrgAdmin(state: OrganizationState, userId: string, message: string): void {
  if (!isOrgAdmin(state, userId)) throw AccessErrors.notAllowed(message);
}

/** R21: org admins and admins of this workspace. */
export function requireWorkspaceAdmin(
  state: OrganizationState,
  userId: string,
  workspaceId: string,
  message: string,
): void {
  if (!memberMay(state, userId, { kind: 'workspace', workspaceId, action: 'manage' })) {
    throw AccessErrors.notAllowed(message);
  }
}

/** R24, R29: workspace role `user` or higher (directly or through a group), or org admin. */
export function requireWorkspaceUser(
  state: OrganizationState,
  userId: string,
  workspaceId: string,
  message: string,
): void {
  if (!memberMay(state, userId, { kind: 'workspace', workspaceId, action: 'create_project' })) {
    throw AccessErrors.notAllowed(message);
  }
}

/** R25-R27: the owner (members of an owner group included), workspace admins, org admins. */
export function requireProjectManager(
  state: OrganizationState,
  userId: string,
  project: ProjectState,
  message: string,
): void {
  const query = {
    kind: 'project',
    projectId: project.projectId,
    action: 'manage_members',
  } as const;
  if (!memberMay(state, userId, query)) throw AccessErrors.notAllowed(message);
}
