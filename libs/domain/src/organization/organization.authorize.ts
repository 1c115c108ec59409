import type { OrganizationCommand } from './organization.commands.js';
import { AccessErrors } from './errors/access.errors.js';
import { entitlementOf } from './organization.entitlements.js';
import { OrganizationErrors } from './organization.errors.js';
import {
  apiKeyEffectivePermissions,
  apiKeyStatus,
  memberPermissions,
  rolePermissions,
} from './organization.permissions.js';
import {
  findMemberForUser,
  type ApiKeyState,
  type MemberState,
  type OrganizationState,
} from './organization.state.js';

/** The actor of a command, resolved against the organization it targets. */
export type OrganizationPrincipal =
  | { type: 'support' }
  | { type: 'member'; member: MemberState; permissions: ReadonlySet<string> }
  | { type: 'api_key'; key: ApiKeyState; permissions: ReadonlySet<string> };

type CommandType = OrganizationCommand['type'];

const SUPPORT_COMMANDS: ReadonlySet<CommandType> = new Set([
  'CreateOrganization',
  'AddCatalogPermissions',
  'RemoveCatalogPermissions',
]);

/**
 * Commands on the access graph. Their authority comes from org and workspace roles and
 * project ownership, checked in their decide functions, not from permissions; API keys carry
 * permissions only, so they cannot issue them.
 */
export const ACCESS_GRAPH_COMMANDS: ReadonlySet<CommandType> = new Set<CommandType>([
  'CreateGroup',
  'LinkDirectoryGroup',
  'RenameGroup',
  'DeleteGroup',
  'AddGroupMembers',
  'RemoveGroupMember',
  'CreateWorkspace',
  'RenameWorkspace',
  'AddWorkspacePrincipal',
  'ChangeWorkspacePrincipalRole',
  'RemoveWorkspacePrincipal',
  'CreateProject',
  'AddProjectMember',
  'ChangeProjectMemberRole',
  'RemoveProjectMembers',
  'TransferOwnership',
  'DeleteProject',
  'CreateDashboard',
  'DeleteDashboard',
]);

/**
 * The permission each command requires beyond its own rules (R6, R13, R42 and `truora.users`).
 * The access-graph commands listed here still need an org admin (R18, R20), checked in their
 * decide functions; their permission is the R42 entitlement, which org admins hold through
 * full_access once Support has put it in the catalog.
 */
const REQUIRED_PERMISSION: Partial<Record<CommandType, string>> = {
  CreateRole: 'truora.roles',
  UpdateRole: 'truora.roles',
  DeleteRole: 'truora.roles',
  InviteMember: 'truora.users',
  ChangeMemberRole: 'truora.users',
  DeactivateMember: 'truora.users',
  ReactivateMember: 'truora.users',
  RemoveMember: 'truora.users',
  IssueApiKey: 'truora.keys',
  RevokeApiKey: 'truora.keys',
  // R42: only new workspaces and new links are gated, so what exists keeps working without them.
  CreateWorkspace: 'truora.workspaces',
  LinkDirectoryGroup: 'truora.directory',
};

/**
 * Resolves the actor and checks it may run this kind of command at all. Rule checks that
 * depend on the command's data (escalation, R12) come after, in the decide functions.
 *
 * Order matters for S1: whether the organization exists, and whether the actor belongs to it,
 * is settled before any answer that would reveal something about it.
 */
export function authorize(
  command: OrganizationCommand,
  state: OrganizationState,
): OrganizationPrincipal {
  const { actor, now } = command.metadata;
  switch (actor.type) {
    case 'auditor':
      throw OrganizationErrors.readOnlyActor();
    case 'system':
      throw OrganizationErrors.forbiddenForSystem(command.type);
    case 'support':
      if (!SUPPORT_COMMANDS.has(command.type)) {
        throw OrganizationErrors.forbiddenForSupport(command.type);
      }
      // CreateOrganization settles existence itself: it is the one command for a new stream.
      if (!state.exists && command.type !== 'CreateOrganization') {
        throw OrganizationErrors.organizationNotFound();
      }
      return { type: 'support' };
    case 'user': {
      if (!state.exists) throw OrganizationErrors.organizationNotFound();
      // S5: by the identity bound at first sign-in; by email only until then.
      const member = findMemberForUser(state, actor);
      if (!member) throw OrganizationErrors.organizationNotFound();
      if (command.type === 'SignIn') {
        // Sign-in is how an invitee becomes active; the decide function handles each status.
        return { type: 'member', member, permissions: new Set() };
      }
      if (member.status !== 'active') throw OrganizationErrors.memberNotActive();
      const principal = {
        type: 'member' as const,
        member,
        permissions: new Set(memberPermissions(state, member.userId)),
      };
      requireCommandPermission(command, state, principal.permissions, 'member');
      return principal;
    }
    case 'api_key': {
      if (!state.exists || actor.organizationId !== state.organizationId) {
        throw OrganizationErrors.organizationNotFound();
      }
      const key = state.apiKeys.get(actor.keyId);
      if (!key) throw OrganizationErrors.organizationNotFound();
      // R15: a revoked or expired key authenticates nothing.
      if (apiKeyStatus(key, now) !== 'active') throw OrganizationErrors.apiKeyNotActive();
      const permissions = apiKeyEffectivePermissions(state, key.keyId, now);
      if (command.type === 'SignIn') throw OrganizationErrors.signInNotSelf();
      if (ACCESS_GRAPH_COMMANDS.has(command.type)) {
        throw AccessErrors.apiKeyNotAllowed(command.type);
      }
      // R13: a key is issued by a member, so that its snapshot is a role's permissions.
      if (command.type === 'IssueApiKey') throw OrganizationErrors.apiKeyCannotIssueKeys();
      const principal = { type: 'api_key' as const, key, permissions: new Set(permissions) };
      requireCommandPermission(command, state, principal.permissions, 'api_key');
      return principal;
    }
    default: {
      const _exhaustive: never = actor;
      throw OrganizationErrors.organizationNotFound();
    }
  }
}

function requireCommandPermission(
  command: OrganizationCommand,
  state: OrganizationState,
  permissions: ReadonlySet<string>,
  holder: 'member' | 'api_key',
): void {
  if (SUPPORT_COMMANDS.has(command.type)) throw OrganizationErrors.supportOnly(command.type);
  const required = REQUIRED_PERMISSION[command.type];
  if (required === undefined || permissions.has(required)) return;
  // An entitlement missing from the catalog is held by nobody, not even full_access: only
  // Support can fix that (R6, R42), so the refusal must not send the user to an org admin.
  const entitlement = entitlementOf(required);
  if (entitlement !== undefined && !state.catalog.has(required)) {
    throw OrganizationErrors.entitlementRequired(entitlement);
  }
  throw OrganizationErrors.missingPermission([required], holder);
}

/**
 * R12, no escalation: the actor must itself hold every permission it grants. Support never
 * reaches here (it cannot assign roles or issue keys).
 */
export function requireHeld(principal: OrganizationPrincipal, permissions: Iterable<string>): void {
  if (principal.type === 'support') return;
  const missing = [...permissions].filter((p) => !principal.permissions.has(p));
  if (missing.length > 0)
    throw OrganizationErrors.privilegeEscalation([...new Set(missing)].sort());
}

/** R12 for assigning a role: the actor must hold everything the role grants now. */
export function requireCanAssignRole(
  principal: OrganizationPrincipal,
  state: OrganizationState,
  roleId: string,
): void {
  requireHeld(principal, rolePermissions(state, roleId));
}

/**
 * R41, no demoting one's superiors: changing the role of, deactivating or removing a member
 * takes every permission of that member's current role. R12 looks at what is given, this at
 * what is taken away. Support stands outside the organization's ranks.
 */
export function requireOutranksOrEquals(
  principal: OrganizationPrincipal,
  state: OrganizationState,
  member: MemberState,
): void {
  if (principal.type === 'support') return;
  const missing = [...rolePermissions(state, member.roleId)].filter(
    (p) => !principal.permissions.has(p),
  );
  if (missing.length > 0) {
    throw OrganizationErrors.memberOutranksActor(member.userId, [...new Set(missing)].sort());
  }
}

/**
 * The member behind an access-graph command. authorize() admits only members to those
 * commands, so anything else here is a wiring error, refused rather than trusted.
 */
export function actingMember(principal: OrganizationPrincipal, commandType: string): MemberState {
  if (principal.type !== 'member') throw AccessErrors.apiKeyNotAllowed(commandType);
  return principal.member;
}
