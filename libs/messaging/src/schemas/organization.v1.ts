import {
  arrayOf,
  email,
  id,
  nullable,
  object,
  permissions,
  text,
  time,
  type JsonSchema,
} from './json-schema.js';
import type { EventType } from '../event-catalog.js';

/** Version 1 of the data of catalog, role, member and API-key events, as published (S2). */
export const organizationSchemasV1 = {
  OrganizationCreated: object({
    organizationId: id(),
    name: text(),
    catalog: permissions(),
    firstMember: object({ userId: id(), email: email() }),
    defaultWorkspaceId: id(),
  }),
  CatalogPermissionsAdded: object({ permissions: permissions() }),
  CatalogPermissionsRemoved: object({ permissions: permissions() }),
  RoleCreated: object({ roleId: id(), name: text(), permissions: permissions() }),
  RoleUpdated: object({ roleId: id(), name: text(), permissions: permissions() }),
  RoleDeleted: object({ roleId: id() }),
  MemberInvited: object({
    userId: id(),
    email: email(),
    roleId: id(),
    invitedBy: nullable(id('userId of the inviting member; null when support invited.')),
  }),
  // `issuer` is optional within v1: events recorded before S5 lack it, and adding it breaks
  // no reader of those (ADR 12).
  MemberActivated: object(
    {
      userId: id(),
      subject: id('The JWT `sub` of the first sign-in: the identity the member is bound to (S5).'),
      issuer: id('The JWT `iss` of the first sign-in; absent in events recorded before S5.'),
    },
    ['issuer'],
  ),
  MemberRoleChanged: object({ userId: id(), roleId: id(), previousRoleId: id() }),
  MemberDeactivated: object({ userId: id() }),
  MemberReactivated: object({ userId: id() }),
  MemberRemoved: object({ userId: id() }),
  // No secretHash: it is withheld (S2), and additionalProperties: false makes a leak fail
  // validation.
  ApiKeyIssued: object({
    keyId: id(),
    name: text(),
    issuedBy: id(),
    snapshot: object({ roleId: id(), roleName: text(), permissions: permissions() }),
    secretPrefix: text(32),
    issuedAt: time(),
    expiresAt: nullable(time()),
  }),
  ApiKeyRevoked: object({ keyId: id() }),
} satisfies Partial<Record<EventType, JsonSchema>>;

export const userIds = (): JsonSchema => ({ ...arrayOf(id(), 1), uniqueItems: true });
