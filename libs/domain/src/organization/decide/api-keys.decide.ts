import { isKeyLive, normalizeExpiry } from '../api-key-liveness.js';
import { requireHeld, type OrganizationPrincipal } from '../organization.authorize.js';
import type { IssueApiKey, RevokeApiKey } from '../organization.commands.js';
import { OrganizationErrors } from '../organization.errors.js';
import type { ApiKeyIssued, ApiKeyRevoked } from '../organization.events.js';
import { roleName, rolePermissions } from '../organization.permissions.js';
import type { OrganizationState } from '../organization.state.js';
import { requireId, requireName } from '../../shared/validation.js';

/**
 * R13: a member holding truora.keys issues a key carrying a frozen snapshot of their role.
 * The secret was made and hashed outside (R14); only its hash and prefix are recorded.
 */
export function decideIssueApiKey(
  command: IssueApiKey,
  state: OrganizationState,
  principal: OrganizationPrincipal,
): ApiKeyIssued[] {
  // authorize() lets only members through for IssueApiKey; this narrows the type.
  if (principal.type !== 'member') throw OrganizationErrors.apiKeyCannotIssueKeys();
  const { data, metadata } = command;
  const keyId = requireId(data.keyId, 'keyId');
  const name = requireName(data.name, 'name', 'INVALID_API_KEY_NAME', 128);
  const secretHash = requireId(data.secretHash, 'secretHash');
  const secretPrefix = requireId(data.secretPrefix, 'secretPrefix');
  if (state.apiKeys.has(keyId)) throw OrganizationErrors.apiKeyAlreadyExists(keyId);
  const given = data.expiresAt ?? null;
  if (given !== null) {
    if (typeof given !== 'string' || Number.isNaN(Date.parse(given))) {
      throw OrganizationErrors.invalidExpiry();
    }
    // R15: a key already expired at issue would authenticate nothing.
    if (!isKeyLive({ status: 'active', expiresAt: given }, metadata.now)) {
      throw OrganizationErrors.expiryNotInFuture(given, metadata.now);
    }
  }
  // Recorded as a UTC instant, so every reader of the event sees one spelling of the time.
  const expiresAt = given === null ? null : normalizeExpiry(given);
  const { roleId } = principal.member;
  const permissions = rolePermissions(state, roleId);
  // R12 holds by construction (the snapshot is the issuer's own role); kept explicit so a
  // future change to how snapshots are built cannot silently escalate.
  requireHeld(principal, permissions);
  return [
    {
      type: 'ApiKeyIssued',
      data: {
        keyId,
        name,
        issuedBy: principal.member.userId,
        snapshot: { roleId, roleName: roleName(state, roleId) ?? roleId, permissions },
        secretHash,
        secretPrefix,
        issuedAt: metadata.now,
        expiresAt,
      },
    },
  ];
}

/** Any holder of truora.keys may revoke any key of the organization, expired ones included. */
export function decideRevokeApiKey(
  command: RevokeApiKey,
  state: OrganizationState,
): ApiKeyRevoked[] {
  const { keyId } = command.data;
  const key = state.apiKeys.get(keyId);
  if (!key) throw OrganizationErrors.apiKeyNotFound(keyId);
  if (key.status === 'revoked') throw OrganizationErrors.apiKeyAlreadyRevoked(keyId);
  return [{ type: 'ApiKeyRevoked', data: { keyId } }];
}
