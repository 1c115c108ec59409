import { rolePermissions, type ApiKeyState, type OrganizationState } from '#libs/domain';
import type { DocumentChange } from '../document-store.port.js';
import { Collections, type ApiKeyAuditDocument } from '../documents.js';
import type { ProjectedEvent, Projection } from '../projection.js';
import { docId, put } from './changes.js';
import { StateMemo } from './state-memo.js';

/** R4, R15: the snapshot intersected with the current catalog, whatever the key's status. */
export const keyEffectivePermissions = (state: OrganizationState, key: ApiKeyState): string[] =>
  key.snapshot.permissions.filter((permission) => state.catalog.has(permission));

/**
 * The keys an event changes: some by id, those of some issuers (their role or membership
 * changed), or all of them (the catalog changed: R4).
 */
interface ApiKeyAuditsScope {
  keyIds?: readonly string[];
  issuers?: readonly string[];
  all?: boolean;
}

const NONE: ApiKeyAuditsScope = {};

/** Issuer -> their keys; keys are never forgotten and never change issuer. */
const keysByIssuer = new StateMemo<Map<string, string[]>>((state) => {
  const byIssuer = new Map<string, string[]>();
  for (const key of state.apiKeys.values()) add(byIssuer, key.issuedBy, key.keyId);
  return byIssuer;
});

function add(byIssuer: Map<string, string[]>, issuer: string, keyId: string): void {
  const keys = byIssuer.get(issuer);
  if (keys) keys.push(keyId);
  else byIssuer.set(issuer, [keyId]);
}

/**
 * R4, R11, R15, R16. `snapshotExceedsIssuer`: the key still holds (snapshot ∩ catalog) a
 * permission its issuer's current role does not grant — a key outliving a demotion, or an
 * issuer who left (R11). Role permissions, not status: deactivation is not a role change.
 */
export function apiKeyAuditDocument(
  state: OrganizationState,
  key: ApiKeyState,
  roleGrants: (roleId: string) => ReadonlySet<string> = (roleId) =>
    new Set(rolePermissions(state, roleId)),
): ApiKeyAuditDocument {
  const effectivePermissions = keyEffectivePermissions(state, key);
  const issuer = state.members.get(key.issuedBy);
  const granted = issuer ? roleGrants(issuer.roleId) : undefined;
  return {
    _id: docId(state.organizationId, key.keyId),
    organizationId: state.organizationId,
    keyId: key.keyId,
    name: key.name,
    issuedBy: key.issuedBy,
    issuedAt: key.issuedAt,
    expiresAt: key.expiresAt,
    status: key.status,
    snapshot: {
      roleId: key.snapshot.roleId,
      roleName: key.snapshot.roleName,
      permissions: [...key.snapshot.permissions],
    },
    effectivePermissions,
    flags: {
      issuerRemoved: issuer === undefined,
      snapshotExceedsIssuer: effectivePermissions.some(
        (permission) => granted === undefined || !granted.has(permission),
      ),
    },
  };
}

/** Role permissions as sets, each computed once per call (a catalog change reaches every key). */
function roleGrantsOf(state: OrganizationState): (roleId: string) => ReadonlySet<string> {
  const cache = new Map<string, ReadonlySet<string>>();
  return (roleId) => {
    let granted = cache.get(roleId);
    if (!granted) cache.set(roleId, (granted = new Set(rolePermissions(state, roleId))));
    return granted;
  };
}

export function apiKeyAuditDocuments(state: OrganizationState): ApiKeyAuditDocument[] {
  const grants = roleGrantsOf(state);
  return [...state.apiKeys.values()].map((key) => apiKeyAuditDocument(state, key, grants));
}

/** The API-key audit: snapshot, effective permissions and flags of every key (R16). Never the hash (S2). */
export const apiKeyAuditsProjection: Projection<ApiKeyAuditsScope> = {
  name: 'api_key_audits',
  version: 1,
  collections: { [Collections.apiKeyAudits]: ['organizationId', 'keyId', 'issuedBy', 'status'] },

  scope(event: ProjectedEvent, before: OrganizationState): ApiKeyAuditsScope {
    switch (event.type) {
      case 'ApiKeyIssued':
      case 'ApiKeyRevoked':
        return { keyIds: [event.data.keyId] };
      case 'CatalogPermissionsAdded':
      case 'CatalogPermissionsRemoved':
        return { all: true };
      case 'MemberInvited': // an id reused after a removal brings an issuer back
      case 'MemberRoleChanged':
      case 'MemberRemoved':
        return { issuers: [event.data.userId] };
      case 'RoleUpdated': {
        const previous = before.roles.get(event.data.roleId)?.permissions;
        const next = [...event.data.permissions].sort();
        if (previous && previous.length === next.length && previous.every((p, i) => p === next[i]))
          return NONE;
        return { issuers: [...(before.holdersByRole.get(event.data.roleId) ?? [])] };
      }
      default:
        return NONE;
    }
  },

  project(event: ProjectedEvent, scope: ApiKeyAuditsScope, after: OrganizationState) {
    const byIssuer = keysByIssuer.advance(after, event.revision, (memo) => {
      if (event.type === 'ApiKeyIssued') add(memo, event.data.issuedBy, event.data.keyId);
    });
    if (scope === NONE) return [];
    const keyIds: Iterable<string> = scope.all
      ? after.apiKeys.keys()
      : [...(scope.keyIds ?? []), ...(scope.issuers ?? []).flatMap((u) => byIssuer.get(u) ?? [])];
    const grants = roleGrantsOf(after);
    const changes: DocumentChange[] = [];
    for (const keyId of keyIds) {
      const key = after.apiKeys.get(keyId);
      if (key) changes.push(put(Collections.apiKeyAudits, apiKeyAuditDocument(after, key, grants)));
    }
    return changes;
  },
};
