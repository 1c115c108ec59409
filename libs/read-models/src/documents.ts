import type { PermissionSnapshot, Principal, ProjectRole, WorkspaceRole } from '#libs/domain';

/**
 * The read models: collection names and document shapes, the contract between the
 * projections (which write them) and the query service (which serves them). Every document
 * carries `organizationId`; ids are `<organizationId>:<...>` so they never collide across
 * tenants. The shapes are type aliases rather than interfaces so that they are assignable to
 * the port's `Document`, whose index signature interfaces do not satisfy.
 */
export const Collections = {
  organizations: 'organizations',
  roles: 'roles',
  members: 'members',
  groups: 'groups',
  workspaces: 'workspaces',
  workspaceMembers: 'workspace_members',
  projects: 'projects',
  projectAccess: 'project_access',
  dashboards: 'dashboards',
  apiKeyAudits: 'api_key_audits',
  credentials: 'credentials',
} as const;

/** One per organization: its catalog (the seeds' Master Client Permissions list). */
export type OrganizationDocument = {
  _id: string; // organizationId
  organizationId: string;
  name: string;
  catalog: string[];
  defaultWorkspaceId: string;
};

/** One per role, built-in ones included, with the permissions it grants now (R2, R4). */
export type RoleDocument = {
  _id: string; // org:roleId
  organizationId: string;
  roleId: string;
  name: string;
  builtIn: boolean;
  permissions: string[];
};

/** Organization members (membership table). */
export type MemberDocument = {
  _id: string; // org:userId
  organizationId: string;
  userId: string;
  email: string;
  /**
   * The email lowercased: how a member not bound yet is found (emails are unique per org,
   * case-insensitive). Bound members are found by identityKey only (S5).
   */
  emailKey: string;
  /** The JWT `sub` and `iss` the member is bound to since first sign-in (S5); null before. */
  subject: string | null;
  issuer: string | null;
  /** identityKey(issuer, subject) from libs/domain: how a bound member is found (S5). */
  identityKey: string | null;
  status: 'invited' | 'active' | 'deactivated';
  roleId: string;
  roleName: string;
  groupIds: string[];
};

export type GroupDocument = {
  _id: string; // org:groupId
  organizationId: string;
  groupId: string;
  name: string;
  kind: 'manual' | 'directory';
  directoryGroupId: string | null;
  memberIds: string[];
};

/** One per workspace, with its usage (R23). Org admins list these (R20). */
export type WorkspaceDocument = {
  _id: string; // org:workspaceId
  organizationId: string;
  workspaceId: string;
  name: string;
  usage: { projects: number; dashboards: number; groups: number; users: number };
};

/**
 * How a user comes to hold a role: `direct`, `group:<name>`, `workspace:<role>`, `org_admin`
 * (R28, R30).
 */
export type GrantedVia = string;

/** One per (workspace, user with a role there directly or through a group): R20, R21. */
export type WorkspaceMemberDocument = {
  _id: string; // org:workspaceId:userId
  organizationId: string;
  workspaceId: string;
  userId: string;
  /** The highest of the user's direct and group roles. */
  role: WorkspaceRole;
  grantedVia: GrantedVia[];
};

/**
 * One per (member, live project) where the member has any access (R28): the project members
 * table, and the rows of the user-project CSV (R30), hence the member's details on it.
 */
export type ProjectAccessDocument = {
  _id: string; // org:projectId:userId
  organizationId: string;
  projectId: string;
  projectName: string;
  workspaceId: string;
  workspaceName: string;
  userId: string;
  email: string;
  status: 'invited' | 'active' | 'deactivated';
  orgRole: string;
  /** Effective role (R28). */
  role: ProjectRole;
  /** Every path that grants access, the one giving `role` first. */
  grantedVia: GrantedVia[];
  /** Whether they manage the project: its owner, a workspace admin or an org admin (R25-R27). */
  manages: boolean;
};

/** One per live project: what an org admin or operator lists (R22). */
export type ProjectDocument = {
  _id: string; // org:projectId
  organizationId: string;
  projectId: string;
  workspaceId: string;
  name: string;
  owner: Principal;
};

export type DashboardDocument = {
  _id: string; // org:dashboardId
  organizationId: string;
  dashboardId: string;
  workspaceId: string;
  name: string;
  projectIds: string[];
  createdBy: string;
};

/** API-key permission audit (R4, R11, R15, R16). Never the secret or its hash (S2). */
export type ApiKeyAuditDocument = {
  _id: string; // org:keyId
  organizationId: string;
  keyId: string;
  name: string;
  issuedBy: string;
  issuedAt: string;
  expiresAt: string | null;
  /** Revocation; expiry is judged when read, against the time of the read. */
  status: 'active' | 'revoked';
  snapshot: PermissionSnapshot;
  /** Snapshot ∩ current catalog (R4, R15), ignoring revocation and expiry. */
  effectivePermissions: string[];
  flags: {
    /** The issuer left the organization; the key keeps working until revoked (R11). */
    issuerRemoved: boolean;
    /** The snapshot holds permissions the issuer no longer has. */
    snapshotExceedsIssuer: boolean;
  };
};

/** What API-key authentication needs (R15). Keyed by the secret's hash; never served. */
export type CredentialDocument = {
  _id: string; // sha256(secret), hex
  organizationId: string;
  keyId: string;
  status: 'active' | 'revoked';
  expiresAt: string | null;
  effectivePermissions: string[];
};
