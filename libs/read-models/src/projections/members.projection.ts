import { identityKey, normalizeEmail, roleName, type OrganizationState } from '#libs/domain';
import type { DocumentChange } from '../document-store.port.js';
import { Collections, type MemberDocument } from '../documents.js';
import type { ProjectedEvent, Projection } from '../projection.js';
import { docId, put, remove } from './changes.js';

/** The members whose document an event changes. */
type MembersScope = readonly string[];

const NONE: MembersScope = [];

export function memberDocument(
  state: OrganizationState,
  userId: string,
): MemberDocument | undefined {
  const member = state.members.get(userId);
  if (!member) return undefined;
  return {
    _id: docId(state.organizationId, userId),
    organizationId: state.organizationId,
    userId,
    email: member.email,
    emailKey: normalizeEmail(member.email),
    subject: member.subject ?? null,
    issuer: member.issuer ?? null,
    identityKey: member.subject === undefined ? null : identityKey(member.issuer, member.subject),
    status: member.status,
    roleId: member.roleId,
    roleName: roleName(state, member.roleId) ?? member.roleId,
    groupIds: [...(state.groupsByUser.get(userId) ?? [])].sort(),
  };
}

/** Every member document of the organization, recomputed from the state. */
export function memberDocuments(state: OrganizationState): MemberDocument[] {
  const documents: MemberDocument[] = [];
  for (const userId of state.members.keys()) {
    const document = memberDocument(state, userId);
    if (document) documents.push(document);
  }
  return documents;
}

/**
 * The members whose membership — existence, role, status or groups — an event changes, noted
 * on the state before it (the members of a group being deleted); undefined for an event that
 * changes none. What else depends on a member's membership starts from it (the workspace
 * cells of workspace-wide-cells.ts).
 */
export function membershipChangedBy(
  event: ProjectedEvent,
  before: OrganizationState,
): readonly string[] | undefined {
  switch (event.type) {
    case 'OrganizationCreated':
      return [event.data.firstMember.userId];
    case 'MemberInvited':
    case 'MemberActivated':
    case 'MemberRoleChanged':
    case 'MemberDeactivated':
    case 'MemberReactivated':
    case 'MemberRemoved':
    case 'GroupMemberRemoved':
    case 'DirectoryMembershipSynced':
      return [event.data.userId];
    case 'GroupMembersAdded':
      return event.data.userIds;
    case 'GroupDeleted':
      return [...(before.groups.get(event.data.groupId)?.members ?? [])];
    default:
      return undefined;
  }
}

/** The membership table: status, role and groups of each member (R7, R9, R17). */
export const membersProjection: Projection<MembersScope> = {
  name: 'members',
  version: 1,
  // identityKey and emailKey: how the query side finds the member behind a JWT (S5).
  collections: {
    [Collections.members]: [
      'organizationId',
      'userId',
      'roleId',
      'status',
      'emailKey',
      'identityKey',
    ],
  },

  scope(event: ProjectedEvent, before: OrganizationState): MembersScope {
    const changed = membershipChangedBy(event, before);
    if (changed !== undefined) return changed;
    switch (event.type) {
      case 'RoleUpdated': {
        // roleName is denormalised: a rename rewrites its holders (R5 keeps it rare).
        const previous = before.roles.get(event.data.roleId);
        if (previous !== undefined && previous.name === event.data.name) return NONE;
        return [...(before.holdersByRole.get(event.data.roleId) ?? [])];
      }
      default:
        return NONE;
    }
  },

  project(_event: ProjectedEvent, userIds: MembersScope, after: OrganizationState) {
    const changes: DocumentChange[] = [];
    for (const userId of userIds) {
      const document = memberDocument(after, userId);
      changes.push(
        document
          ? put(Collections.members, document)
          : remove(Collections.members, docId(after.organizationId, userId)),
      );
    }
    return changes;
  },
};
