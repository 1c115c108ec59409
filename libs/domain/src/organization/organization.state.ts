import { DEFAULT_ACCESS, FULL_ACCESS } from '#libs/access';
import type { UserActor } from '../shared/actor.js';
import type { Principal } from '../shared/principal.js';
import type { ProjectMemberRole } from '../project/project.events.js';
import type { WorkspaceRole } from '../workspace/workspace.events.js';
import { evolveDashboards } from './evolve/dashboards.evolve.js';
import { evolveGroups } from './evolve/groups.evolve.js';
import { evolveProjects } from './evolve/projects.evolve.js';
import { evolveWorkspaces } from './evolve/workspaces.evolve.js';
import { identityKey, identityKeysOf, identifyMember } from './member-identity.js';
import type { OrganizationEvent, PermissionSnapshot } from './organization.events.js';

/** Built-in roles: they always exist and their permissions are derived from the catalog (R2, R5). */
export { DEFAULT_ACCESS, FULL_ACCESS };
export const BUILT_IN_ROLE_IDS: readonly string[] = [FULL_ACCESS, DEFAULT_ACCESS];
/** The admin namespace (R2): fixed at `truora.` until an organization can change it. */
export const DEFAULT_ADMIN_PREFIX = 'truora.';

export type MemberStatus = 'invited' | 'active' | 'deactivated';

export interface CustomRoleState {
  roleId: string;
  name: string;
  /** Sorted, always a subset of the catalog (R3, R4). */
  permissions: string[];
}

export interface MemberState {
  userId: string;
  email: string;
  roleId: string;
  status: MemberStatus;
  /**
   * JWT `sub` and `iss` recorded at first sign-in (R9, S5): from then on only tokens of that
   * identity are this member. The first member has neither until their first sign-in; members
   * bound before S5 have no issuer.
   */
  subject?: string;
  issuer?: string;
  /**
   * Whether the member was ever active, so that reactivating a deactivated invitee returns
   * them to `invited` (they still have to sign in) rather than making them active unseen.
   */
  everActive: boolean;
}

export interface ApiKeyState {
  keyId: string;
  name: string;
  issuedBy: string;
  snapshot: PermissionSnapshot;
  status: 'active' | 'revoked';
  issuedAt: string;
  expiresAt: string | null;
  secretPrefix: string;
  /** Kept for authentication (R14, R15); never part of a public view (S2). */
  secretHash: string;
}

export interface GroupState {
  groupId: string;
  name: string;
  /** `directory` groups change membership only from sign-in claims (R18). */
  kind: 'manual' | 'directory';
  directoryGroupId?: string;
  /** userIds. */
  members: Set<string>;
}

export interface WorkspacePrincipalState {
  principal: Principal;
  role: WorkspaceRole;
}

export interface WorkspaceState {
  workspaceId: string;
  name: string;
  /** principalKey -> principal and role. */
  principals: Map<string, WorkspacePrincipalState>;
  /** Live projects and dashboards of the workspace, so usage and listings never scan the org. */
  projectIds: Set<string>;
  dashboardIds: Set<string>;
}

export interface ProjectMemberState {
  principal: Principal;
  role: ProjectMemberRole;
}

export interface ProjectState {
  projectId: string;
  workspaceId: string;
  name: string;
  /** Exactly one per live project (R25); never also in `members`. */
  owner: Principal;
  /** principalKey -> non-owner members. */
  members: Map<string, ProjectMemberState>;
  /**
   * Deleted projects stay as tombstones (`live: false`, out of every index) so their ids are
   * never reused: dashboards keep the ids of the projects they read, and a reused id would
   * silently point an old dashboard at a new project.
   */
  live: boolean;
}

export interface DashboardState {
  dashboardId: string;
  workspaceId: string;
  name: string;
  projectIds: string[];
  /** userId of the creator, who may delete it (R29). */
  createdBy: string;
}

/**
 * Everything the organization decider needs, indexed for O(1) lookups: organizations reach
 * 100,000 members and a command must cost the same as in a small one (docs/benchmarks.md#targets).
 */
export interface OrganizationState {
  exists: boolean;
  organizationId: string;
  name: string;
  catalog: Set<string>;
  /** Custom roles only; built-in roles are never stored (R2). */
  roles: Map<string, CustomRoleState>;
  /** Lowercased custom role name -> role id, for case-insensitive uniqueness (R5). */
  roleIdByName: Map<string, string>;
  members: Map<string, MemberState>;
  /** Lowercased email -> userId (R10; sign-in of members not bound yet). */
  userIdByEmail: Map<string, string>;
  /** identityKey(issuer, sub) -> userId of the member bound to it (S5, member-identity.ts). */
  userIdByIdentity: Map<string, string>;
  /** Role id -> userIds of members of any status holding it (R5: a held role can't be deleted). */
  holdersByRole: Map<string, Set<string>>;
  /** Active members with full_access, kept so R8 costs O(1) instead of a scan of every member. */
  activeFullAccess: Set<string>;
  apiKeys: Map<string, ApiKeyState>;
  defaultWorkspaceId: string;
  adminPrefix: string;

  // The access graph (R17-R29). One aggregate holds it all so that rules spanning members,
  // groups and projects (R11, R19, R25) hold atomically under optimistic concurrency.
  groups: Map<string, GroupState>;
  /** Lowercased group name -> groupId (R17: names unique, case-insensitive). */
  groupIdByName: Map<string, string>;
  /** Identity-provider group id -> groupId (R18). */
  groupIdByDirectoryId: Map<string, string>;
  /** userId -> the groups they belong to, for role resolution and R11's cascade. */
  groupsByUser: Map<string, Set<string>>;
  workspaces: Map<string, WorkspaceState>;
  /** Lowercased workspace name -> workspaceId (R20). */
  workspaceIdByName: Map<string, string>;
  /** principalKey -> workspaces where it holds a role (R11, R19 cascades; R20 visibility). */
  workspacesByPrincipal: Map<string, Set<string>>;
  /** Live and deleted projects; see ProjectState.live. */
  projects: Map<string, ProjectState>;
  /** principalKey -> live projects where it is owner or member (cascades, R22 listings). */
  projectsByPrincipal: Map<string, Set<string>>;
  /** principalKey -> live projects it owns (R11, R19 refusals). */
  projectsOwnedBy: Map<string, Set<string>>;
  dashboards: Map<string, DashboardState>;
}

export function initialOrganizationState(): OrganizationState {
  return {
    exists: false,
    organizationId: '',
    name: '',
    catalog: new Set(),
    roles: new Map(),
    roleIdByName: new Map(),
    members: new Map(),
    userIdByEmail: new Map(),
    userIdByIdentity: new Map(),
    holdersByRole: new Map(),
    activeFullAccess: new Set(),
    apiKeys: new Map(),
    defaultWorkspaceId: '',
    adminPrefix: DEFAULT_ADMIN_PREFIX,
    groups: new Map(),
    groupIdByName: new Map(),
    groupIdByDirectoryId: new Map(),
    groupsByUser: new Map(),
    workspaces: new Map(),
    workspaceIdByName: new Map(),
    workspacesByPrincipal: new Map(),
    projects: new Map(),
    projectsByPrincipal: new Map(),
    projectsOwnedBy: new Map(),
    dashboards: new Map(),
  };
}

export const normalizeEmail = (email: string): string => email.trim().toLowerCase();
export const normalizeRoleName = (name: string): string => name.trim().toLowerCase();
/** Group and workspace names are unique case-insensitively, like role names (R17, R20). */
export const normalizeName = (name: string): string => name.trim().toLowerCase();

export function findMemberByEmail(
  state: OrganizationState,
  email: string,
): MemberState | undefined {
  const userId = state.userIdByEmail.get(normalizeEmail(email));
  return userId === undefined ? undefined : state.members.get(userId);
}

/**
 * The member a verified JWT is (S5): bound members by their identity only, members not bound
 * yet by email. `undefined` for a stranger; throws IDENTITY_MISMATCH or EMAIL_NOT_VERIFIED (401).
 */
export function findMemberForUser(
  state: OrganizationState,
  actor: UserActor,
): MemberState | undefined {
  let bound: MemberState | undefined;
  for (const key of identityKeysOf(actor)) {
    const userId = state.userIdByIdentity.get(key);
    bound = userId === undefined ? undefined : state.members.get(userId);
    if (bound) break;
  }
  return identifyMember(actor, bound, findMemberByEmail(state, actor.email));
}

/**
 * Folds one event into the state. Updates `state` in place and returns it (see decider.ts):
 * loading a stream of a large organization must not copy its member maps once per event.
 */
export function evolveOrganization(
  state: OrganizationState,
  event: OrganizationEvent,
): OrganizationState {
  switch (event.type) {
    case 'OrganizationCreated': {
      const { organizationId, name, catalog, firstMember, defaultWorkspaceId } = event.data;
      state.exists = true;
      state.organizationId = organizationId;
      state.name = name;
      state.catalog = new Set(catalog);
      state.defaultWorkspaceId = defaultWorkspaceId;
      putMember(state, {
        userId: firstMember.userId,
        email: firstMember.email,
        roleId: FULL_ACCESS,
        status: 'active',
        everActive: true,
      });
      return state;
    }
    case 'CatalogPermissionsAdded':
      for (const permission of event.data.permissions) state.catalog.add(permission);
      return state;
    case 'CatalogPermissionsRemoved':
      // Custom roles are trimmed by the RoleUpdated events appended in the same decision (R4).
      for (const permission of event.data.permissions) state.catalog.delete(permission);
      return state;
    case 'RoleCreated':
    case 'RoleUpdated': {
      const { roleId, name, permissions } = event.data;
      const previous = state.roles.get(roleId);
      if (previous) state.roleIdByName.delete(normalizeRoleName(previous.name));
      state.roles.set(roleId, { roleId, name, permissions: [...permissions].sort() });
      state.roleIdByName.set(normalizeRoleName(name), roleId);
      return state;
    }
    case 'RoleDeleted': {
      const role = state.roles.get(event.data.roleId);
      if (role) state.roleIdByName.delete(normalizeRoleName(role.name));
      state.roles.delete(event.data.roleId);
      return state;
    }
    case 'MemberInvited': {
      const { userId, email, roleId } = event.data;
      putMember(state, { userId, email, roleId, status: 'invited', everActive: false });
      return state;
    }
    case 'MemberActivated':
      return updateMember(state, event.data.userId, (member) => {
        member.status = 'active';
        member.subject = event.data.subject;
        if (event.data.issuer !== undefined) member.issuer = event.data.issuer;
        member.everActive = true;
      });
    case 'MemberRoleChanged':
      return updateMember(state, event.data.userId, (member) => {
        member.roleId = event.data.roleId;
      });
    case 'MemberDeactivated':
      return updateMember(state, event.data.userId, (member) => {
        member.status = 'deactivated';
      });
    case 'MemberReactivated':
      return updateMember(state, event.data.userId, (member) => {
        member.status = member.everActive ? 'active' : 'invited';
      });
    case 'MemberRemoved': {
      const member = state.members.get(event.data.userId);
      if (member) unindexMember(state, member);
      state.members.delete(event.data.userId);
      return state;
    }
    case 'ApiKeyIssued': {
      const { keyId, name, issuedBy, snapshot, secretHash, secretPrefix, issuedAt, expiresAt } =
        event.data;
      state.apiKeys.set(keyId, {
        keyId,
        name,
        issuedBy,
        snapshot,
        status: 'active',
        issuedAt,
        expiresAt,
        secretPrefix,
        secretHash,
      });
      return state;
    }
    case 'ApiKeyRevoked': {
      const key = state.apiKeys.get(event.data.keyId);
      if (key) key.status = 'revoked';
      return state;
    }
    case 'GroupCreated':
    case 'DirectoryGroupLinked':
    case 'GroupRenamed':
    case 'GroupDeleted':
    case 'GroupMembersAdded':
    case 'GroupMemberRemoved':
    case 'DirectoryMembershipSynced':
      return evolveGroups(state, event);
    case 'WorkspaceCreated':
    case 'WorkspaceRenamed':
    case 'WorkspacePrincipalAdded':
    case 'WorkspacePrincipalRoleChanged':
    case 'WorkspacePrincipalRemoved':
      return evolveWorkspaces(state, event);
    case 'ProjectCreated':
    case 'ProjectMemberAdded':
    case 'ProjectMemberRoleChanged':
    case 'ProjectMembersRemoved':
    case 'OwnershipTransferred':
    case 'ProjectDeleted':
      return evolveProjects(state, event);
    case 'DashboardCreated':
    case 'DashboardDeleted':
      return evolveDashboards(state, event);
    default: {
      // Unknown event types (from a newer schema) must not break loading old code paths.
      const _exhaustive: never = event;
      return state;
    }
  }
}

function putMember(state: OrganizationState, member: MemberState): void {
  state.members.set(member.userId, member);
  indexMember(state, member);
}

/** Applies `change` to a member while keeping every index in step with it. */
function updateMember(
  state: OrganizationState,
  userId: string,
  change: (member: MemberState) => void,
): OrganizationState {
  const member = state.members.get(userId);
  if (!member) return state;
  unindexMember(state, member);
  change(member);
  indexMember(state, member);
  return state;
}

function indexMember(state: OrganizationState, member: MemberState): void {
  state.userIdByEmail.set(normalizeEmail(member.email), member.userId);
  if (member.subject !== undefined) {
    state.userIdByIdentity.set(identityKey(member.issuer, member.subject), member.userId);
  }
  let holders = state.holdersByRole.get(member.roleId);
  if (!holders) state.holdersByRole.set(member.roleId, (holders = new Set()));
  holders.add(member.userId);
  if (member.status === 'active' && member.roleId === FULL_ACCESS) {
    state.activeFullAccess.add(member.userId);
  }
}

function unindexMember(state: OrganizationState, member: MemberState): void {
  state.userIdByEmail.delete(normalizeEmail(member.email));
  if (member.subject !== undefined) {
    const key = identityKey(member.issuer, member.subject);
    if (state.userIdByIdentity.get(key) === member.userId) state.userIdByIdentity.delete(key);
  }
  const holders = state.holdersByRole.get(member.roleId);
  holders?.delete(member.userId);
  if (holders?.size === 0) state.holdersByRole.delete(member.roleId);
  state.activeFullAccess.delete(member.userId);
}
