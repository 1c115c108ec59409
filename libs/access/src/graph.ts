import type { Principal } from './principal.js';
import type { ProjectMemberRole, WorkspaceRole } from './roles.js';

/*
 * The access graph: the narrow view of an organization's state that every access question is
 * answered over. The domain's OrganizationState is one (it is folded by the domain's evolve);
 * nothing here depends on how it was built, so the deciders, the projections and the query
 * side ask the same engine over the same shape.
 */

export interface AccessMember {
  readonly userId: string;
  readonly roleId: string;
  readonly status: 'invited' | 'active' | 'deactivated';
}

export interface AccessRole {
  readonly roleId: string;
  readonly name: string;
  /** Always a subset of the catalog (R3, R4). */
  readonly permissions: readonly string[];
}

export interface AccessApiKey {
  readonly keyId: string;
  readonly status: 'active' | 'revoked';
  /** A UTC ISO instant, or null for a key that never expires. */
  readonly expiresAt: string | null;
  readonly snapshot: { readonly roleId: string; readonly permissions: readonly string[] };
}

export interface AccessGroup {
  readonly groupId: string;
  readonly name: string;
  readonly members: ReadonlySet<string>;
}

export interface RoleHolding<Role> {
  readonly principal: Principal;
  readonly role: Role;
}

export interface AccessWorkspace {
  readonly workspaceId: string;
  readonly name: string;
  /** principalKey -> principal and role. */
  readonly principals: ReadonlyMap<string, RoleHolding<WorkspaceRole>>;
  readonly projectIds: ReadonlySet<string>;
  readonly dashboardIds: ReadonlySet<string>;
}

export interface AccessProject {
  readonly projectId: string;
  readonly workspaceId: string;
  readonly name: string;
  readonly owner: Principal;
  /** principalKey -> the non-owner members. */
  readonly members: ReadonlyMap<string, RoleHolding<ProjectMemberRole>>;
  readonly live: boolean;
}

export interface AccessDashboard {
  readonly dashboardId: string;
  readonly workspaceId: string;
  readonly projectIds: readonly string[];
  readonly createdBy: string;
}

export interface AccessGraph {
  readonly catalog: ReadonlySet<string>;
  /** Permissions starting with it form the admin namespace (R2). */
  readonly adminPrefix: string;
  readonly roles: ReadonlyMap<string, AccessRole>;
  readonly members: ReadonlyMap<string, AccessMember>;
  readonly apiKeys: ReadonlyMap<string, AccessApiKey>;
  readonly groups: ReadonlyMap<string, AccessGroup>;
  /** userId -> the groups they belong to. */
  readonly groupsByUser: ReadonlyMap<string, ReadonlySet<string>>;
  readonly workspaces: ReadonlyMap<string, AccessWorkspace>;
  readonly projects: ReadonlyMap<string, AccessProject>;
  readonly dashboards: ReadonlyMap<string, AccessDashboard>;
}
