import type { DashboardCommand } from '../dashboard/dashboard.commands.js';
import type { GroupCommand } from '../group/group.commands.js';
import type { ProjectCommand } from '../project/project.commands.js';
import type { Command } from '../shared/command.js';
import type { WorkspaceCommand } from '../workspace/workspace.commands.js';

/** Support only (R1). */
export type CreateOrganization = Command<
  'CreateOrganization',
  {
    organizationId: string;
    name: string;
    /** Enabled permissions. `truora.users` and `truora.keys` are added unless `withoutDefaultAdminPermissions`. */
    catalog: string[];
    withoutDefaultAdminPermissions?: boolean;
    firstUser: { userId: string; email: string };
    defaultWorkspaceId: string;
  }
>;
/** Support only. Permissions already in the catalog are ignored; nothing new appends nothing. */
export type AddCatalogPermissions = Command<'AddCatalogPermissions', { permissions: string[] }>;
/** Support only (R4). Permissions not in the catalog are ignored. */
export type RemoveCatalogPermissions = Command<
  'RemoveCatalogPermissions',
  { permissions: string[] }
>;
export type CreateRole = Command<
  'CreateRole',
  { roleId: string; name: string; permissions: string[] }
>;
/** Either field may be left out to keep it. */
export type UpdateRole = Command<
  'UpdateRole',
  { roleId: string; name?: string; permissions?: string[] }
>;
export type DeleteRole = Command<'DeleteRole', { roleId: string }>;
/** `roleId` defaults to default_access (R9). */
export type InviteMember = Command<
  'InviteMember',
  { userId: string; email: string; roleId?: string }
>;
/** Issued by the signing-in user; the claims come from their verified JWT (R9, R18). */
export type SignIn = Command<'SignIn', { subject: string; email: string; groups: string[] }>;
export type ChangeMemberRole = Command<'ChangeMemberRole', { userId: string; roleId: string }>;
export type DeactivateMember = Command<'DeactivateMember', { userId: string }>;
export type ReactivateMember = Command<'ReactivateMember', { userId: string }>;
export type RemoveMember = Command<'RemoveMember', { userId: string }>;
/** The secret is made and hashed outside the decider (R14); only its hash and prefix come in. */
export type IssueApiKey = Command<
  'IssueApiKey',
  {
    keyId: string;
    name: string;
    secretHash: string;
    secretPrefix: string;
    expiresAt?: string | null;
  }
>;
export type RevokeApiKey = Command<'RevokeApiKey', { keyId: string }>;

export type OrganizationCommand =
  | GroupCommand
  | WorkspaceCommand
  | ProjectCommand
  | DashboardCommand
  | CreateOrganization
  | AddCatalogPermissions
  | RemoveCatalogPermissions
  | CreateRole
  | UpdateRole
  | DeleteRole
  | InviteMember
  | SignIn
  | ChangeMemberRole
  | DeactivateMember
  | ReactivateMember
  | RemoveMember
  | IssueApiKey
  | RevokeApiKey;
