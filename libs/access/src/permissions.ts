import type { AccessApiKey, AccessGraph } from './graph.js';

/** Built-in roles: they always exist, and what they grant is derived from the catalog (R2). */
export const FULL_ACCESS = 'full_access';
export const DEFAULT_ACCESS = 'default_access';

export const isBuiltInRole = (roleId: string): boolean =>
  roleId === FULL_ACCESS || roleId === DEFAULT_ACCESS;

export const inAdminNamespace = (graph: AccessGraph, permission: string): boolean =>
  permission.startsWith(graph.adminPrefix);

/** Whether a role grants `permission` now: built-in roles follow the catalog at once (R2). */
export function roleGrants(graph: AccessGraph, roleId: string, permission: string): boolean {
  if (!graph.catalog.has(permission)) return false;
  if (roleId === FULL_ACCESS) return true;
  if (roleId === DEFAULT_ACCESS) return !inAdminNamespace(graph, permission);
  return graph.roles.get(roleId)?.permissions.includes(permission) ?? false;
}

/** The permissions a role grants now, sorted; [] for an unknown role. */
export function rolePermissions(graph: AccessGraph, roleId: string): string[] {
  if (roleId === FULL_ACCESS) return [...graph.catalog].sort();
  if (roleId === DEFAULT_ACCESS) {
    return [...graph.catalog].filter((p) => !inAdminNamespace(graph, p)).sort();
  }
  return [...(graph.roles.get(roleId)?.permissions ?? [])];
}

/** An org admin is an active member whose role is full_access (docs/rules.md, Concepts). */
export function isOrgAdmin(graph: AccessGraph, userId: string): boolean {
  const member = graph.members.get(userId);
  return member !== undefined && member.status === 'active' && member.roleId === FULL_ACCESS;
}

/** What judging a key's liveness needs: the domain state, credentials and audit documents fit. */
export interface KeyLiveness {
  status: 'active' | 'revoked';
  /** ISO-8601; UTC from issue on, but events recorded before that may carry any offset. */
  expiresAt: string | null;
}

/**
 * R15, the one judgement of expiry: a key is live while it is not revoked and `now` is
 * strictly before `expiresAt`, so at the instant itself it is expired. The domain, the
 * credentials verifier, the key views and the engine all ask this, so a key cannot
 * authenticate reads after the domain calls it expired. Instants, not strings:
 * `…T00:00:00+02:00` is earlier than `…T00:00:00Z`, and old events keep the offset they were
 * given. A time that cannot be read counts as expired (fail closed).
 */
export function isKeyLive(key: KeyLiveness, now: string): boolean {
  if (key.status !== 'active') return false;
  if (key.expiresAt === null) return true;
  const expiresAt = Date.parse(key.expiresAt);
  const at = Date.parse(now);
  if (Number.isNaN(expiresAt) || Number.isNaN(at)) return false;
  return at < expiresAt;
}

/** R15: a live key holds its snapshot's permissions that are still in the catalog. */
export function keyGrants(
  graph: AccessGraph,
  key: AccessApiKey,
  permission: string,
  now: string,
): boolean {
  return (
    isKeyLive(key, now) &&
    graph.catalog.has(permission) &&
    key.snapshot.permissions.includes(permission)
  );
}
