import { isKeyLive, type KeyLiveness } from './api-key-liveness.js';
import { isBuiltInRole, rolePermissions } from '#libs/access';
import type { OrganizationState } from './organization.state.js';

// What a role grants is the access engine's rule (R2): one definition.
export { isBuiltInRole, rolePermissions } from '#libs/access';

/** The permission syntax (docs/rules.md, Concepts). */
export const PERMISSION_PATTERN = /^[a-z0-9_.:-]{1,128}$/;
export const isValidPermission = (permission: string): boolean =>
  PERMISSION_PATTERN.test(permission);

/** Whether a role id names a built-in role or a custom role of this organization. */
export const roleExists = (state: OrganizationState, roleId: string): boolean =>
  isBuiltInRole(roleId) || state.roles.has(roleId);

/** The display name of a role: built-in roles are named by their id. */
export function roleName(state: OrganizationState, roleId: string): string | undefined {
  if (isBuiltInRole(roleId)) return roleId;
  return state.roles.get(roleId)?.name;
}

/**
 * What a member may do now: their role's permissions while active, [] while invited or
 * deactivated (an invitee has not signed in yet; a deactivated member is locked out).
 */
export function memberPermissions(state: OrganizationState, userId: string): string[] {
  const member = state.members.get(userId);
  if (!member || member.status !== 'active') return [];
  return rolePermissions(state, member.roleId);
}

export type ApiKeyStatus = 'active' | 'revoked' | 'expired';

/**
 * A key's status at `now`: expiry is not an event, so it is read against the command's or the
 * read's time, by the one judgement of R15 (isKeyLive).
 */
export function apiKeyStatus(key: KeyLiveness, now: string): ApiKeyStatus {
  if (key.status === 'revoked') return 'revoked';
  return isKeyLive(key, now) ? 'active' : 'expired';
}

/**
 * R15: a key authenticates as its snapshot intersected with the current catalog, and as
 * nothing once revoked or expired. It does not depend on the issuer still being a member (R11).
 */
export function apiKeyEffectivePermissions(
  state: OrganizationState,
  keyId: string,
  now: string,
): string[] {
  const key = state.apiKeys.get(keyId);
  if (!key || apiKeyStatus(key, now) !== 'active') return [];
  return key.snapshot.permissions.filter((p) => state.catalog.has(p));
}
