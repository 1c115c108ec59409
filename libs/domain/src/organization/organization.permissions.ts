import { isKeyLive, type KeyLiveness } from './api-key-liveness.js';
import type { PermissionSnapshot } from './organization.events.js';
import {
  DEFAULT_ACCESS,
  FULL_ACCESS,
  type MemberStatus,
  type OrganizationState,
} from './organization.state.js';

/** The spec's permission syntax (§2). */
export const PERMISSION_PATTERN = /^[a-z0-9_.:-]{1,128}$/;
export const isValidPermission = (permission: string): boolean =>
  PERMISSION_PATTERN.test(permission);

export const isBuiltInRole = (roleId: string): boolean =>
  roleId === FULL_ACCESS || roleId === DEFAULT_ACCESS;

/** Whether a role id names a built-in role or a custom role of this organization. */
export const roleExists = (state: OrganizationState, roleId: string): boolean =>
  isBuiltInRole(roleId) || state.roles.has(roleId);

/** The display name of a role: built-in roles are named by their id. */
export function roleName(state: OrganizationState, roleId: string): string | undefined {
  if (isBuiltInRole(roleId)) return roleId;
  return state.roles.get(roleId)?.name;
}

/**
 * The permissions a role grants now, sorted; [] for an unknown role. Built-in roles are
 * derived from the catalog on every call, so a catalog change reaches them at once (R2).
 */
export function rolePermissions(state: OrganizationState, roleId: string): string[] {
  if (roleId === FULL_ACCESS) return [...state.catalog].sort();
  if (roleId === DEFAULT_ACCESS) {
    return [...state.catalog].filter((p) => !p.startsWith(state.adminPrefix)).sort();
  }
  return [...(state.roles.get(roleId)?.permissions ?? [])];
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

/** What support and key managers see of a key (R16). Never the secret nor its hash (S2). */
export interface ApiKeyView {
  keyId: string;
  name: string;
  issuedBy: string;
  /**
   * The issuer's membership now: `removed` flags keys whose issuer left the organization,
   * which keep working until revoked (R11).
   */
  issuerStatus: MemberStatus | 'removed';
  issuedAt: string;
  expiresAt: string | null;
  status: ApiKeyStatus;
  /** The recognisable, non-secret start of the secret. */
  secretPrefix: string;
  snapshot: PermissionSnapshot;
  effectivePermissions: string[];
}

export function describeApiKey(
  state: OrganizationState,
  keyId: string,
  now: string,
): ApiKeyView | undefined {
  const key = state.apiKeys.get(keyId);
  if (!key) return undefined;
  return {
    keyId: key.keyId,
    name: key.name,
    issuedBy: key.issuedBy,
    issuerStatus: state.members.get(key.issuedBy)?.status ?? 'removed',
    issuedAt: key.issuedAt,
    expiresAt: key.expiresAt,
    status: apiKeyStatus(key, now),
    secretPrefix: key.secretPrefix,
    snapshot: {
      roleId: key.snapshot.roleId,
      roleName: key.snapshot.roleName,
      permissions: [...key.snapshot.permissions],
    },
    effectivePermissions: apiKeyEffectivePermissions(state, keyId, now),
  };
}

/** Every key of the organization, in issue order (R16). */
export function listApiKeys(state: OrganizationState, now: string): ApiKeyView[] {
  const views: ApiKeyView[] = [];
  for (const keyId of state.apiKeys.keys()) {
    const view = describeApiKey(state, keyId, now);
    if (view) views.push(view);
  }
  return views;
}
