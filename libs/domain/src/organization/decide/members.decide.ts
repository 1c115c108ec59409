import { requireCanAssignRole, type OrganizationPrincipal } from '../organization.authorize.js';
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
import { roleExists } from '../organization.permissions.js';
import {
  DEFAULT_ACCESS,
  FULL_ACCESS,
  findMemberByEmail,
  normalizeEmail,
  type MemberState,
  type OrganizationState,
} from '../organization.state.js';
import { requireEmail, requireId } from '../../shared/validation.js';

/** R9, R10, R12: invite by email with an optional role, never one the inviter doesn't hold. */
export function decideInviteMember(
  command: InviteMember,
  state: OrganizationState,
  principal: OrganizationPrincipal,
): MemberInvited[] {
  const userId = requireId(command.data.userId, 'userId');
  const email = requireEmail(command.data.email);
  const roleId = command.data.roleId ?? DEFAULT_ACCESS;
  if (findMemberByEmail(state, email)) throw OrganizationErrors.emailAlreadyMember(email);
  if (state.members.has(userId)) throw OrganizationErrors.memberAlreadyExists(userId);
  if (!roleExists(state, roleId)) throw OrganizationErrors.roleNotFound(roleId);
  requireCanAssignRole(principal, state, roleId);
  const invitedBy = principal.type === 'member' ? principal.member.userId : null;
  return [{ type: 'MemberInvited', data: { userId, email, roleId, invitedBy } }];
}

/**
 * R9: the first sign-in whose verified e-mail matches activates the invitee. Later sign-ins
 * change nothing here (directory groups, R18, arrive with the groups issue).
 */
export function decideSignIn(
  command: SignIn,
  state: OrganizationState,
  principal: OrganizationPrincipal,
): MemberActivated[] {
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
  switch (member.status) {
    case 'invited':
      return [
        { type: 'MemberActivated', data: { userId: member.userId, subject: command.data.subject } },
      ];
    case 'active':
      return [];
    case 'deactivated':
      throw OrganizationErrors.memberDeactivated();
  }
}

/** R7 (one role each), R12 (only roles the actor holds), R8 (an active full_access member stays). */
export function decideChangeMemberRole(
  command: ChangeMemberRole,
  state: OrganizationState,
  principal: OrganizationPrincipal,
): MemberRoleChanged[] {
  const member = requireMember(state, command.data.userId);
  const { roleId } = command.data;
  if (!roleExists(state, roleId)) throw OrganizationErrors.roleNotFound(roleId);
  requireCanAssignRole(principal, state, roleId);
  if (member.roleId === roleId) return [];
  if (roleId !== FULL_ACCESS) requireNotLastFullAccess(state, member);
  return [
    {
      type: 'MemberRoleChanged',
      data: { userId: member.userId, roleId, previousRoleId: member.roleId },
    },
  ];
}

export function decideDeactivateMember(
  command: DeactivateMember,
  state: OrganizationState,
): MemberDeactivated[] {
  const member = requireMember(state, command.data.userId);
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
 * R11. The member's API keys keep working: effective permissions never depend on the issuer
 * still being a member, and the key list flags them (issuerStatus 'removed').
 * TODO(groups/workspaces/projects issue): refuse while the member is the sole owner of a live
 * project (listing the projects) and cascade removal from groups, workspaces and projects as
 * follow-up commands caused by MemberRemoved; that needs cross-aggregate state.
 */
export function decideRemoveMember(
  command: RemoveMember,
  state: OrganizationState,
): MemberRemoved[] {
  const member = requireMember(state, command.data.userId);
  requireNotLastFullAccess(state, member);
  return [{ type: 'MemberRemoved', data: { userId: member.userId } }];
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
