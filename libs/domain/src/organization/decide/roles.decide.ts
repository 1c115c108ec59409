import { requireHeld, type OrganizationPrincipal } from '../organization.authorize.js';
import type { CreateRole, DeleteRole, UpdateRole } from '../organization.commands.js';
import { assertValidPermissions, OrganizationErrors } from '../organization.errors.js';
import type { RoleCreated, RoleDeleted, RoleUpdated } from '../organization.events.js';
import { isBuiltInRole } from '../organization.permissions.js';
import { normalizeRoleName, type OrganizationState } from '../organization.state.js';
import { requireId, requireName, sortedUnique } from '../../shared/validation.js';

/** How many holders a ROLE_IN_USE refusal lists: enough to act on, bounded for huge orgs. */
const MAX_LISTED_HOLDERS = 100;

export function decideCreateRole(
  command: CreateRole,
  state: OrganizationState,
  principal: OrganizationPrincipal,
): RoleCreated[] {
  const roleId = requireId(command.data.roleId, 'roleId');
  if (isBuiltInRole(roleId)) throw OrganizationErrors.builtInRole(roleId);
  if (state.roles.has(roleId)) throw OrganizationErrors.roleAlreadyExists(roleId);
  const name = requireName(command.data.name, 'name', 'INVALID_ROLE_NAME');
  const permissions = checkedRolePermissions(command.data.permissions, state);
  requireNameFree(state, name, roleId);
  requireHeld(principal, permissions);
  return [{ type: 'RoleCreated', data: { roleId, name, permissions } }];
}

export function decideUpdateRole(
  command: UpdateRole,
  state: OrganizationState,
  principal: OrganizationPrincipal,
): RoleUpdated[] {
  const { roleId } = command.data;
  if (isBuiltInRole(roleId)) throw OrganizationErrors.builtInRole(roleId);
  const role = state.roles.get(roleId);
  if (!role) throw OrganizationErrors.roleNotFound(roleId);
  const name =
    command.data.name === undefined
      ? role.name
      : requireName(command.data.name, 'name', 'INVALID_ROLE_NAME');
  const permissions =
    command.data.permissions === undefined
      ? role.permissions
      : checkedRolePermissions(command.data.permissions, state);
  requireNameFree(state, name, roleId);
  // R12 concerns what is being added: removing a permission from a role grants nothing.
  const current = new Set(role.permissions);
  requireHeld(
    principal,
    permissions.filter((p) => !current.has(p)),
  );
  const unchanged =
    name === role.name &&
    permissions.length === role.permissions.length &&
    permissions.every((p, i) => p === role.permissions[i]);
  return unchanged ? [] : [{ type: 'RoleUpdated', data: { roleId, name, permissions } }];
}

export function decideDeleteRole(command: DeleteRole, state: OrganizationState): RoleDeleted[] {
  const { roleId } = command.data;
  if (isBuiltInRole(roleId)) throw OrganizationErrors.builtInRole(roleId);
  if (!state.roles.has(roleId)) throw OrganizationErrors.roleNotFound(roleId);
  // R5: deleting a held role would leave its members without one (R7), invitees included.
  const holders = state.holdersByRole.get(roleId);
  if (holders && holders.size > 0) {
    const userIds = [...holders].sort().slice(0, MAX_LISTED_HOLDERS);
    throw OrganizationErrors.roleInUse(roleId, userIds, holders.size);
  }
  return [{ type: 'RoleDeleted', data: { roleId } }];
}

/** Valid syntax, then in the catalog (R3); returned sorted and without duplicates. */
function checkedRolePermissions(permissions: string[], state: OrganizationState): string[] {
  if (!Array.isArray(permissions)) throw OrganizationErrors.invalidPermissions([]);
  assertValidPermissions(permissions);
  const sorted = sortedUnique(permissions);
  const missing = sorted.filter((p) => !state.catalog.has(p));
  if (missing.length > 0) throw OrganizationErrors.permissionsNotInCatalog(missing);
  return sorted;
}

/** R5: names are unique case-insensitively, the built-in names included. */
function requireNameFree(state: OrganizationState, name: string, roleId: string): void {
  const key = normalizeRoleName(name);
  if (isBuiltInRole(key)) throw OrganizationErrors.roleNameTaken(name);
  const holder = state.roleIdByName.get(key);
  if (holder !== undefined && holder !== roleId) throw OrganizationErrors.roleNameTaken(name);
}
