import type { AddCatalogPermissions, RemoveCatalogPermissions } from '../organization.commands.js';
import { assertValidPermissions } from '../organization.errors.js';
import type {
  CatalogPermissionsAdded,
  CatalogPermissionsRemoved,
  RoleUpdated,
} from '../organization.events.js';
import type { OrganizationState } from '../organization.state.js';
import { sortedUnique } from '../../shared/validation.js';

/** Set semantics: only permissions new to the catalog are recorded; none new appends nothing. */
export function decideAddCatalogPermissions(
  command: AddCatalogPermissions,
  state: OrganizationState,
): CatalogPermissionsAdded[] {
  assertValidPermissions(command.data.permissions);
  const added = sortedUnique(command.data.permissions.filter((p) => !state.catalog.has(p)));
  return added.length === 0
    ? []
    : [{ type: 'CatalogPermissionsAdded', data: { permissions: added } }];
}

/**
 * R4: a permission leaving the catalog leaves every custom role in the same decision, so no
 * reader ever sees a role holding a permission outside the catalog (R3). Built-in roles follow
 * by derivation (R2); API keys by intersection at use (R15), their snapshots untouched (R13).
 */
export function decideRemoveCatalogPermissions(
  command: RemoveCatalogPermissions,
  state: OrganizationState,
): (CatalogPermissionsRemoved | RoleUpdated)[] {
  assertValidPermissions(command.data.permissions);
  const removed = sortedUnique(command.data.permissions.filter((p) => state.catalog.has(p)));
  if (removed.length === 0) return [];
  const gone = new Set(removed);
  const events: (CatalogPermissionsRemoved | RoleUpdated)[] = [
    { type: 'CatalogPermissionsRemoved', data: { permissions: removed } },
  ];
  for (const role of state.roles.values()) {
    if (!role.permissions.some((p) => gone.has(p))) continue;
    events.push({
      type: 'RoleUpdated',
      data: {
        roleId: role.roleId,
        name: role.name,
        permissions: role.permissions.filter((p) => !gone.has(p)),
      },
      // A cascade of the removal (R4), so its causation id names the removal (R32).
      causedBy: 0,
    });
  }
  return events;
}
