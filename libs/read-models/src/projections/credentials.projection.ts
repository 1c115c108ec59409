import type { ApiKeyState, OrganizationState } from '#libs/domain';
import type { DocumentChange } from '../document-store.port.js';
import { Collections, type CredentialDocument } from '../documents.js';
import type { ProjectedEvent, Projection } from '../projection.js';
import { keyEffectivePermissions } from './api-key-audits.projection.js';
import { put } from './changes.js';

/** The keys an event changes: one, or all of them when the catalog changes (R4, R15). */
type CredentialsScope = { keyId: string } | 'all' | undefined;

export const credentialDocument = (
  state: OrganizationState,
  key: ApiKeyState,
): CredentialDocument => ({
  // The hash is the lookup key of authentication, and appears nowhere else (S2).
  _id: key.secretHash,
  organizationId: state.organizationId,
  keyId: key.keyId,
  status: key.status,
  expiresAt: key.expiresAt,
  effectivePermissions: keyEffectivePermissions(state, key),
});

export const credentialDocuments = (state: OrganizationState): CredentialDocument[] =>
  [...state.apiKeys.values()].map((key) => credentialDocument(state, key));

/**
 * What API-key authentication reads, by the secret's hash (R14, R15): status, expiry (judged
 * at use) and the effective permissions. Never served by any query.
 */
export const credentialsProjection: Projection<CredentialsScope> = {
  name: 'credentials',
  version: 1,
  collections: { [Collections.credentials]: ['organizationId', 'keyId'] },

  scope(event: ProjectedEvent): CredentialsScope {
    switch (event.type) {
      case 'ApiKeyIssued':
      case 'ApiKeyRevoked':
        return { keyId: event.data.keyId };
      case 'CatalogPermissionsAdded':
      case 'CatalogPermissionsRemoved':
        return 'all';
      default:
        return undefined;
    }
  },

  project(_event: ProjectedEvent, scope: CredentialsScope, after: OrganizationState) {
    if (scope === undefined) return [];
    const keys =
      scope === 'all'
        ? after.apiKeys.values()
        : [after.apiKeys.get(scope.keyId)].filter((k) => !!k);
    const changes: DocumentChange[] = [];
    for (const key of keys) {
      if (key) changes.push(put(Collections.credentials, credentialDocument(after, key)));
    }
    return changes;
  },
};
