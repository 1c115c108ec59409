import { BUILT_IN_ROLE_IDS, rolePermissions, type OrganizationState } from '#libs/domain';
import { Collections, type OrganizationDocument, type RoleDocument } from '../documents.js';
import type { DocumentChange } from '../document-store.port.js';
import type { Projection, ProjectedEvent } from '../projection.js';

/**
 * The catalog and the roles with the permissions they grant now: what the dashboards list
 * ("Available from dashboard") and what read-side permission checks use (R16).
 * Built-in roles follow the catalog (R2); custom roles lose removed permissions (R4).
 */
export const catalogProjection: Projection<void> = {
  name: 'catalog',
  version: 1,
  collections: {
    [Collections.organizations]: ['organizationId'],
    [Collections.roles]: ['organizationId'],
  },
  scope: () => undefined,
  project(event: ProjectedEvent, _scope: void, state: OrganizationState): DocumentChange[] {
    const organizationId = state.organizationId;
    switch (event.type) {
      case 'OrganizationCreated':
      case 'CatalogPermissionsAdded':
      case 'CatalogPermissionsRemoved':
        return [
          {
            type: 'put',
            collection: Collections.organizations,
            document: organizationDocument(state),
          },
          {
            type: 'replaceWhere',
            collection: Collections.roles,
            filter: { organizationId },
            documents: allRoles(state),
          },
        ];
      case 'RoleCreated':
      case 'RoleUpdated':
        return [
          {
            type: 'put',
            collection: Collections.roles,
            document: roleDocument(state, event.data.roleId),
          },
        ];
      case 'RoleDeleted':
        return [
          {
            type: 'delete',
            collection: Collections.roles,
            id: `${organizationId}:${event.data.roleId}`,
          },
        ];
      default:
        return [];
    }
  },
};

/** The organization's document, as the catalog projection writes it (documentsOf reuses it). */
export function organizationDocument(state: OrganizationState): OrganizationDocument {
  return {
    _id: state.organizationId,
    organizationId: state.organizationId,
    name: state.name,
    catalog: [...state.catalog].sort(),
    defaultWorkspaceId: state.defaultWorkspaceId,
  };
}

/** Every role's document, built-in ones first (documentsOf reuses it). */
export function allRoles(state: OrganizationState): RoleDocument[] {
  return [...BUILT_IN_ROLE_IDS, ...state.roles.keys()].map((roleId) => roleDocument(state, roleId));
}

function roleDocument(state: OrganizationState, roleId: string): RoleDocument {
  const builtIn = BUILT_IN_ROLE_IDS.includes(roleId);
  return {
    _id: `${state.organizationId}:${roleId}`,
    organizationId: state.organizationId,
    roleId,
    name: builtIn ? roleId : (state.roles.get(roleId)?.name ?? roleId),
    builtIn,
    permissions: rolePermissions(state, roleId),
  };
}
