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

/** SPEC §2: an org admin is an active member whose role is full_access. */
export function isOrgAdmin(graph: AccessGraph, userId: string): boolean {
  const member = graph.members.get(userId);
  return member !== undefined && member.status === 'active' && member.roleId === FULL_ACCESS;
}

/**
 * R15: a key is live until it is revoked or `now` reaches its expiry. Instants are compared,
 * never strings: an offset or a precision must not move the moment a key stops working.
 */
export function isKeyLive(key: AccessApiKey, now: number): boolean {
  return key.status === 'active' && (key.expiresAt === null || now < Date.parse(key.expiresAt));
}

/** R15: a live key holds its snapshot's permissions that are still in the catalog. */
export function keyGrants(
  graph: AccessGraph,
  key: AccessApiKey,
  permission: string,
  now: number,
): boolean {
  return (
    isKeyLive(key, now) &&
    graph.catalog.has(permission) &&
    key.snapshot.permissions.includes(permission)
  );
}
