import {
  requireCanAssignRole,
  requireOutranksOrEquals,
  type OrganizationPrincipal,
} from '../organization.authorize.js';
import type {
  ChangeMemberRole,
  DeactivateMember,
  InviteMember,
  ReactivateMember,
  RemoveMember,
  SignIn,
} from '../organization.commands.js';
import { OrganizationErrors } from '../organization.errors.js';
import type {
  MemberActivated,
  MemberDeactivated,
  MemberInvited,
  MemberReactivated,
  MemberRemoved,
  MemberRoleChanged,
} from '../organization.events.js';
import type { OrganizationEvent } from '../organization.events.js';
import { roleExists } from '../organization.permissions.js';
import type { DirectoryMembershipSynced, GroupMemberRemoved } from '../../group/group.events.js';
import { principalKey } from '../../shared/principal.js';
import type { WorkspacePrincipalAdded } from '../../workspace/workspace.events.js';
import { removalOfPrincipal } from './cascades.js';
import { directoryMembershipSync } from './groups.decide.js';
import {
  DEFAULT_ACCESS,
  FULL_ACCESS,
  findMemberByEmail,
  normalizeEmail,
  type MemberState,
  type OrganizationState,
} from '../organization.state.js';
import { requireEmail, requireId } from '../../shared/validation.js';

/**
 * R9, R10, R12: invite by email with an optional role, never one the inviter doesn't hold.
 * The invitee joins the Default workspace as `user` in the same decision.
 */
export function decideInviteMember(
  command: InviteMember,
  state: OrganizationState,
  principal: OrganizationPrincipal,
): (MemberInvited | WorkspacePrincipalAdded)[] {
  const userId = requireId(command.data.userId, 'userId');
  const email = requireEmail(command.data.email);
  const roleId = command.data.roleId ?? DEFAULT_ACCESS;
  if (findMemberByEmail(state, email)) throw OrganizationErrors.emailAlreadyMember(email);
  if (state.members.has(userId)) throw OrganizationErrors.memberAlreadyExists(userId);
  if (!roleExists(state, roleId)) throw OrganizationErrors.roleNotFound(roleId);
  requireCanAssignRole(principal, state, roleId);
  const invitedBy = principal.type === 'member' ? principal.member.userId : null;
  const invited: MemberInvited = {
    type: 'MemberInvited',
    data: { userId, email, roleId, invitedBy },
  };
  // Every organization created since R1 joined this aggregate has its Default workspace in
  // state; only a history older than that could lack it, and then there is nothing to join.
  if (!state.workspaces.has(state.defaultWorkspaceId)) return [invited];
  return [
    invited,
    {
      type: 'WorkspacePrincipalAdded',
      data: {
        workspaceId: state.defaultWorkspaceId,
        principal: { type: 'user', id: userId },
        role: 'user',
      },
      causedBy: 0,
    },
  ];
}

/**
 * R9, S5: the first sign-in binds the member to the token's issuer and `sub` and activates an
 * invitee (authorize() found them by e-mail, refusing one the provider says is unverified);
 * later sign-ins are found by that identity only. R18: every sign-in brings the member's
 * directory groups in line with the JWT `groups` claim.
 */
export function decideSignIn(
  command: SignIn,
  state: OrganizationState,
  principal: OrganizationPrincipal,
): (MemberActivated | DirectoryMembershipSynced)[] {
  const { actor } = command.metadata;
  if (
    principal.type !== 'member' ||
    actor.type !== 'user' ||
    normalizeEmail(actor.email) !== normalizeEmail(command.data.email) ||
    actor.subject !== command.data.subject
  ) {
    throw OrganizationErrors.signInNotSelf();
  }
  const { member } = principal;
  if (member.status === 'deactivated') throw OrganizationErrors.memberDeactivated();
  const claimed = Array.isArray(command.data.groups)
    ? command.data.groups.filter((group): group is string => typeof group === 'string')
    : [];
  const synced = directoryMembershipSync(state, member.userId, claimed);
  // The first user is active from R1 but, like an invitee, bound only at first sign-in.
  if (member.subject !== undefined) return synced;
  const activated: MemberActivated = {
    type: 'MemberActivated',
    data: {
      userId: member.userId,
      subject: command.data.subject,
      ...(actor.issuer === undefined ? {} : { issuer: actor.issuer }),
    },
  };
  return [activated, ...synced];
}

/**
 * R7 (one role each), R12 (only roles the actor holds), R41 (only members the actor outranks
 * or equals), R8 (an active full_access member stays).
 */
export function decideChangeMemberRole(
  command: ChangeMemberRole,
  state: OrganizationState,
  principal: OrganizationPrincipal,
): MemberRoleChanged[] {
  const member = requireMember(state, command.data.userId);
  const { roleId } = command.data;
  if (!roleExists(state, roleId)) throw OrganizationErrors.roleNotFound(roleId);
  requireCanAssignRole(principal, state, roleId);
  requireOutranksOrEquals(principal, state, member);
  if (member.roleId === roleId) return [];
  if (roleId !== FULL_ACCESS) requireNotLastFullAccess(state, member);
  return [
    {
      type: 'MemberRoleChanged',
      data: { userId: member.userId, roleId, previousRoleId: member.roleId },
    },
  ];
}

/** R41 (only members the actor outranks or equals), R8 (an active full_access member stays). */
export function decideDeactivateMember(
  command: DeactivateMember,
  state: OrganizationState,
  principal: OrganizationPrincipal,
): MemberDeactivated[] {
  const member = requireMember(state, command.data.userId);
  requireOutranksOrEquals(principal, state, member);
  if (member.status === 'deactivated') {
    throw OrganizationErrors.memberAlreadyDeactivated(member.userId);
  }
  requireNotLastFullAccess(state, member);
  return [{ type: 'MemberDeactivated', data: { userId: member.userId } }];
}

export function decideReactivateMember(
  command: ReactivateMember,
  state: OrganizationState,
): MemberReactivated[] {
  const member = requireMember(state, command.data.userId);
  if (member.status !== 'deactivated') throw OrganizationErrors.memberNotDeactivated(member.userId);
  return [{ type: 'MemberReactivated', data: { userId: member.userId } }];
}

/**
 * R41: only a member the actor outranks or equals. R11: refused while the member owns a live project (R25: it would be left without an owner);
 * otherwise they leave every group, workspace and project in events caused by MemberRemoved.
 * Their API keys keep working: effective permissions never depend on the issuer still being a
 * member, and the key list flags them (issuerStatus 'removed').
 */
export function decideRemoveMember(
  command: RemoveMember,
  state: OrganizationState,
  actor: OrganizationPrincipal,
): OrganizationEvent[] {
  const member = requireMember(state, command.data.userId);
  requireOutranksOrEquals(actor, state, member);
  requireNotLastFullAccess(state, member);
  const principal = { type: 'user' as const, id: member.userId };
  const owned = state.projectsOwnedBy.get(principalKey(principal));
  if (owned && owned.size > 0) {
    throw OrganizationErrors.memberOwnsProjects(member.userId, [...owned].sort());
  }
  const removed: MemberRemoved = { type: 'MemberRemoved', data: { userId: member.userId } };
  const leftGroups: GroupMemberRemoved[] = [...(state.groupsByUser.get(member.userId) ?? [])]
    .sort()
    .map((groupId) => ({
      type: 'GroupMemberRemoved',
      data: { groupId, userId: member.userId },
      causedBy: 0,
    }));
  return [removed, ...leftGroups, ...removalOfPrincipal(state, principal, 0)];
}

function requireMember(state: OrganizationState, userId: string): MemberState {
  const member = state.members.get(userId);
  if (!member) throw OrganizationErrors.memberNotFound(userId);
  return member;
}

/** R8: refuses taking away the only active full_access member (O(1), see activeFullAccess). */
function requireNotLastFullAccess(state: OrganizationState, member: MemberState): void {
  if (state.activeFullAccess.has(member.userId) && state.activeFullAccess.size === 1) {
    throw OrganizationErrors.lastFullAccessMember(member.userId);
  }
}
