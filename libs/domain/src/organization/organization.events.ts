import type { DashboardEvent } from '../dashboard/dashboard.events.js';
import type { GroupEvent } from '../group/group.events.js';
import type { ProjectEvent } from '../project/project.events.js';
import type { DomainEvent } from '../shared/decider.js';
import type { WorkspaceEvent } from '../workspace/workspace.events.js';

/** The permissions of a role at the moment an API key was issued (R13). Never changes. */
export interface PermissionSnapshot {
  roleId: string;
  roleName: string;
  /** Sorted. */
  permissions: string[];
}

export type OrganizationCreated = DomainEvent<
  'OrganizationCreated',
  {
    organizationId: string;
    name: string;
    /** Sorted. */
    catalog: string[];
    /** Active at once with full_access (R1). */
    firstMember: { userId: string; email: string };
    defaultWorkspaceId: string;
  }
>;
export type CatalogPermissionsAdded = DomainEvent<
  'CatalogPermissionsAdded',
  { permissions: string[] }
>;
/** Custom roles lose these permissions too: see the RoleUpdated events appended with it (R4). */
export type CatalogPermissionsRemoved = DomainEvent<
  'CatalogPermissionsRemoved',
  { permissions: string[] }
>;
export type RoleCreated = DomainEvent<
  'RoleCreated',
  { roleId: string; name: string; permissions: string[] }
>;
export type RoleUpdated = DomainEvent<
  'RoleUpdated',
  { roleId: string; name: string; permissions: string[] }
>;
export type RoleDeleted = DomainEvent<'RoleDeleted', { roleId: string }>;
export type MemberInvited = DomainEvent<
  'MemberInvited',
  { userId: string; email: string; roleId: string; invitedBy: string | null }
>;
/**
 * A member's first sign-in (R9, S5): it binds them to the token's identity, and an invitee
 * becomes active (the first user, active from R1, is only bound). `subject` is the JWT `sub`,
 * `issuer` its `iss`; events recorded before S5 have no `issuer`.
 */
export type MemberActivated = DomainEvent<
  'MemberActivated',
  { userId: string; subject: string; issuer?: string }
>;
export type MemberRoleChanged = DomainEvent<
  'MemberRoleChanged',
  { userId: string; roleId: string; previousRoleId: string }
>;
export type MemberDeactivated = DomainEvent<'MemberDeactivated', { userId: string }>;
export type MemberReactivated = DomainEvent<'MemberReactivated', { userId: string }>;
export type MemberRemoved = DomainEvent<'MemberRemoved', { userId: string }>;
export type ApiKeyIssued = DomainEvent<
  'ApiKeyIssued',
  {
    keyId: string;
    name: string;
    issuedBy: string;
    snapshot: PermissionSnapshot;
    /** SHA-256 of the secret, hex. The secret itself is never stored (R14); stripped when published (S2). */
    secretHash: string;
    /** The recognisable, non-secret start of the secret, to tell keys apart in lists. */
    secretPrefix: string;
    issuedAt: string;
    expiresAt: string | null;
  }
>;
export type ApiKeyRevoked = DomainEvent<'ApiKeyRevoked', { keyId: string }>;

/**
 * Every event of the organization aggregate: one stream per organization holds its whole
 * access graph — catalog, roles, members, keys, groups, workspaces, projects and dashboards —
 * so that rules spanning them (R11, R19, R25) hold atomically (ADR 9).
 */
export type OrganizationEvent =
  | GroupEvent
  | WorkspaceEvent
  | ProjectEvent
  | DashboardEvent
  | OrganizationCreated
  | CatalogPermissionsAdded
  | CatalogPermissionsRemoved
  | RoleCreated
  | RoleUpdated
  | RoleDeleted
  | MemberInvited
  | MemberActivated
  | MemberRoleChanged
  | MemberDeactivated
  | MemberReactivated
  | MemberRemoved
  | ApiKeyIssued
  | ApiKeyRevoked;

export type OrganizationEventType = OrganizationEvent['type'];
