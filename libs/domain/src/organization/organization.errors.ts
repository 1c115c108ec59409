import { DomainError } from '../shared/domain-error.js';
import type { Entitlement } from './organization.entitlements.js';
import { isValidPermission } from './organization.permissions.js';

/**
 * Every refusal of the organization decider, one constructor per stable code, so the codes
 * and their kinds can be read in one place.
 */
export const OrganizationErrors = {
  // S1: the same answer whether the organization is missing or merely not the actor's.
  organizationNotFound: () =>
    new DomainError('not_found', 'ORGANIZATION_NOT_FOUND', 'Organization not found.'),
  organizationAlreadyExists: (organizationId: string) =>
    new DomainError(
      'conflict',
      'ORGANIZATION_ALREADY_EXISTS',
      `Organization ${organizationId} already exists; choose another id.`,
    ),

  readOnlyActor: () =>
    new DomainError(
      'forbidden',
      'READ_ONLY_ACTOR',
      'Auditors are read-only: they can query history but not change anything.',
    ),
  forbiddenForSupport: (commandType: string) =>
    new DomainError(
      'forbidden',
      'FORBIDDEN_FOR_SUPPORT',
      `Support may create organizations and edit their catalog only; ${commandType} must be done by a member of the organization.`,
    ),
  forbiddenForSystem: (commandType: string) =>
    new DomainError(
      'forbidden',
      'FORBIDDEN_FOR_SYSTEM',
      `System actors issue no organization commands, ${commandType} included: cascades happen inside the decision that causes them.`,
    ),
  supportOnly: (commandType: string) =>
    new DomainError(
      'forbidden',
      'SUPPORT_ONLY',
      `${commandType} is done by Support: ask the Support team to do it for your organization.`,
    ),
  memberNotActive: () =>
    new DomainError(
      'forbidden',
      'MEMBER_NOT_ACTIVE',
      'Your membership is not active: sign in to accept your invitation; if you were deactivated, ask an org admin (a member holding truora.users) to reactivate you.',
    ),
  memberDeactivated: () =>
    new DomainError(
      'forbidden',
      'MEMBER_DEACTIVATED',
      'Your membership is deactivated: ask an org admin (a member holding truora.users) to reactivate it.',
    ),
  signInNotSelf: () =>
    new DomainError(
      'forbidden',
      'SIGN_IN_NOT_SELF',
      'A sign-in must be made by the signing-in user with their own verified e-mail and subject.',
    ),
  apiKeyNotActive: () =>
    new DomainError(
      'forbidden',
      'API_KEY_NOT_ACTIVE',
      'This API key is revoked or expired; use an active key.',
    ),
  apiKeyCannotIssueKeys: () =>
    new DomainError(
      'forbidden',
      'API_KEY_CANNOT_ISSUE_KEYS',
      'API keys cannot issue API keys; a member holding truora.keys must issue it.',
    ),
  /** A key's permissions are its role's at issue (R15): only a new key has others. */
  missingPermission: (missing: string[], holder: 'member' | 'api_key' = 'member') =>
    new DomainError(
      'forbidden',
      'MISSING_PERMISSION',
      holder === 'api_key'
        ? `This API key lacks ${missing.join(', ')}: ask a member holding truora.keys to issue a key whose role holds it.`
        : `This requires the permission ${missing.join(', ')}: ask an org admin (a member holding truora.users) for a role that holds it.`,
      { missing },
    ),
  /**
   * R6, R42: the catalog lacks an entitlement, which only Support adds; distinct from
   * MISSING_PERMISSION, where an org admin can give the member a role that holds it.
   */
  entitlementRequired: (entitlement: Entitlement) =>
    new DomainError(
      'forbidden',
      'ENTITLEMENT_REQUIRED',
      `${entitlement.gates}: ask Support to add ${entitlement.permission} to this organization's catalog.`,
      { entitlement: entitlement.permission },
    ),
  privilegeEscalation: (missing: string[]) =>
    new DomainError(
      'forbidden',
      'PRIVILEGE_ESCALATION',
      `You can only grant permissions you hold yourself; you lack ${missing.join(', ')}.`,
      { missing },
    ),

  memberOutranksActor: (userId: string, missing: string[]) =>
    new DomainError(
      'forbidden',
      'MEMBER_OUTRANKS_ACTOR',
      `Member ${userId} holds permissions you lack (${missing.join(', ')}): only someone holding all of their role can change their role, deactivate or remove them — ask an org admin.`,
      { userId, missing },
    ),

  invalidPermissions: (invalid: string[]) =>
    new DomainError(
      'invalid',
      'INVALID_PERMISSION',
      `Permissions must match [a-z0-9_.:-]{1,128}; invalid: ${invalid.map((p) => JSON.stringify(p)).join(', ')}.`,
      { invalid },
    ),
  permissionsNotInCatalog: (missing: string[]) =>
    new DomainError(
      'rule',
      'PERMISSIONS_NOT_IN_CATALOG',
      `These permissions are not in the organization's catalog: ${missing.join(', ')}. Ask Support to add them first.`,
      { missing },
    ),

  builtInRole: (roleId: string) =>
    new DomainError(
      'rule',
      'BUILT_IN_ROLE',
      `${roleId} is a built-in role: it cannot be created, renamed, edited or deleted.`,
      { roleId },
    ),
  roleAlreadyExists: (roleId: string) =>
    new DomainError('conflict', 'ROLE_ALREADY_EXISTS', `Role ${roleId} already exists.`, {
      roleId,
    }),
  roleNameTaken: (name: string) =>
    new DomainError(
      'conflict',
      'ROLE_NAME_TAKEN',
      `A role named "${name}" already exists (names are case-insensitive); choose another name.`,
      { name },
    ),
  roleNotFound: (roleId: string) =>
    new DomainError('not_found', 'ROLE_NOT_FOUND', `Role ${roleId} not found.`, { roleId }),
  roleInUse: (roleId: string, userIds: string[], count: number) =>
    new DomainError(
      'conflict',
      'ROLE_IN_USE',
      `Role ${roleId} is held by ${count} member(s); give them another role first.`,
      { roleId, userIds, count },
    ),

  memberNotFound: (userId: string) =>
    new DomainError('not_found', 'MEMBER_NOT_FOUND', `Member ${userId} not found.`, { userId }),
  memberAlreadyExists: (userId: string) =>
    new DomainError('conflict', 'MEMBER_ALREADY_EXISTS', `Member ${userId} already exists.`, {
      userId,
    }),
  emailAlreadyMember: (email: string) =>
    new DomainError(
      'conflict',
      'EMAIL_ALREADY_MEMBER',
      `${email} is already a member of this organization.`,
      { email },
    ),
  lastFullAccessMember: (userId: string) =>
    new DomainError(
      'conflict',
      'LAST_FULL_ACCESS_MEMBER',
      `Member ${userId} is the last active member with full_access; give full_access to another active member first.`,
      { userId },
    ),
  /** R11, R25: removing a member must not leave a live project without an owner. */
  memberOwnsProjects: (userId: string, projectIds: string[]) =>
    new DomainError(
      'conflict',
      'MEMBER_OWNS_PROJECTS',
      `Member ${userId} is the owner of the projects ${projectIds.join(', ')}; transfer their ownership first.`,
      { userId, projectIds },
    ),
  memberAlreadyDeactivated: (userId: string) =>
    new DomainError(
      'conflict',
      'MEMBER_ALREADY_DEACTIVATED',
      `Member ${userId} is already deactivated.`,
      { userId },
    ),
  memberNotDeactivated: (userId: string) =>
    new DomainError(
      'conflict',
      'MEMBER_NOT_DEACTIVATED',
      `Member ${userId} is not deactivated, so there is nothing to reactivate.`,
      { userId },
    ),

  apiKeyAlreadyExists: (keyId: string) =>
    new DomainError('conflict', 'API_KEY_ALREADY_EXISTS', `API key ${keyId} already exists.`, {
      keyId,
    }),
  apiKeyNotFound: (keyId: string) =>
    new DomainError('not_found', 'API_KEY_NOT_FOUND', `API key ${keyId} not found.`, { keyId }),
  apiKeyAlreadyRevoked: (keyId: string) =>
    new DomainError('conflict', 'API_KEY_ALREADY_REVOKED', `API key ${keyId} is already revoked.`, {
      keyId,
    }),
  invalidExpiry: () =>
    new DomainError('invalid', 'INVALID_EXPIRY', 'expiresAt must be an ISO-8601 date-time.', {
      field: 'expiresAt',
    }),
  expiryNotInFuture: (expiresAt: string, now: string) =>
    new DomainError(
      'rule',
      'EXPIRY_NOT_IN_FUTURE',
      `expiresAt (${expiresAt}) must be later than now (${now}).`,
      { expiresAt, now },
    ),
};

/** Refuses permission strings outside the syntax of docs/rules.md (Concepts), naming them. */
export function assertValidPermissions(permissions: readonly string[]): void {
  const invalid = permissions.filter((p) => typeof p !== 'string' || !isValidPermission(p));
  if (invalid.length > 0) throw OrganizationErrors.invalidPermissions(invalid);
}
