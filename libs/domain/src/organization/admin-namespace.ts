import { isOrgAdmin } from '#libs/access';
import type { OrganizationState } from './organization.state.js';
import { apiKeyEffectivePermissions, memberPermissions } from './organization.permissions.js';

/** The admin-namespace permissions of the catalog now (R2), sorted. */
export function adminNamespace(state: OrganizationState): string[] {
  return [...state.catalog].filter((p) => p.startsWith(state.adminPrefix)).sort();
}

/**
 * Whether `permissions` hold every admin-namespace permission of the catalog now, as an org
 * admin's do (R31, R40). A catalog without any admin permission makes nobody a holder: an
 * empty namespace is held vacuously by everyone, which would hand org-admin reads to every
 * member and key.
 */
export function holdsWholeAdminNamespace(
  state: OrganizationState,
  permissions: readonly string[],
): boolean {
  const namespace = adminNamespace(state);
  if (namespace.length === 0) return false;
  const held = new Set(permissions);
  return namespace.every((p) => held.has(p));
}

/** An active member who is an org admin (full_access) or whose role holds the whole namespace. */
export function memberHoldsAdminNamespace(state: OrganizationState, userId: string): boolean {
  // memberPermissions is empty for a member who is not active.
  return (
    isOrgAdmin(state, userId) || holdsWholeAdminNamespace(state, memberPermissions(state, userId))
  );
}

/**
 * A live key whose effective permissions (snapshot ∩ catalog, R15) hold the whole namespace:
 * an org admin's key qualifies until the catalog gains an admin permission its snapshot lacks.
 */
export function apiKeyHoldsAdminNamespace(
  state: OrganizationState,
  keyId: string,
  now: string,
): boolean {
  return holdsWholeAdminNamespace(state, apiKeyEffectivePermissions(state, keyId, now));
}
