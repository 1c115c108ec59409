import { principalKey, type OrganizationState } from '#libs/domain';
import type { DocumentChange } from '../document-store.port.js';
import { Collections, type WorkspaceMemberDocument } from '../documents.js';
import type { ProjectedEvent, Projection } from '../projection.js';
import { usersOf, workspaceMembershipOf } from './access-paths.js';
import { docId, put, remove, replaceWhere } from './changes.js';

/**
 * The (workspace, user) documents an event may change: every pair of `workspaceIds` and
 * `userIds`, noted before evolve (a deleted group's members are gone after it); or every
 * document of a member who left the organization (R11).
 */
interface WorkspaceMembersScope {
  workspaceIds: readonly string[];
  userIds: readonly string[];
  removedUserId?: string;
}

const NONE: WorkspaceMembersScope = { workspaceIds: [], userIds: [] };

export function workspaceMemberDocument(
  state: OrganizationState,
  workspaceId: string,
  userId: string,
): WorkspaceMemberDocument | undefined {
  const membership = workspaceMembershipOf(state, userId, workspaceId);
  if (!membership) return undefined;
  return {
    _id: docId(state.organizationId, workspaceId, userId),
    organizationId: state.organizationId,
    workspaceId,
    userId,
    role: membership.role,
    grantedVia: membership.grantedVia,
  };
}

/** Every (workspace, user) document, recomputed from the state: the oracle of the specs. */
export function workspaceMemberDocuments(state: OrganizationState): WorkspaceMemberDocument[] {
  const documents: WorkspaceMemberDocument[] = [];
  for (const workspace of state.workspaces.values()) {
    const userIds = new Set<string>();
    for (const { principal } of workspace.principals.values()) {
      for (const userId of usersOf(state, principal)) userIds.add(userId);
    }
    for (const userId of userIds) {
      const document = workspaceMemberDocument(state, workspace.workspaceId, userId);
      if (document) documents.push(document);
    }
  }
  return documents;
}

const groupKey = (groupId: string) => principalKey({ type: 'group', id: groupId });

function workspacesOfGroups(state: OrganizationState, groupIds: readonly string[]): string[] {
  const ids = new Set<string>();
  for (const groupId of groupIds) {
    for (const id of state.workspacesByPrincipal.get(groupKey(groupId)) ?? []) ids.add(id);
  }
  return [...ids];
}

/** Who holds a role in each workspace, directly or through groups, and how (R20, R21). */
export const workspaceMembersProjection: Projection<WorkspaceMembersScope> = {
  name: 'workspace_members',
  version: 1,
  collections: {
    [Collections.workspaceMembers]: ['organizationId', 'workspaceId', 'userId', 'role'],
  },

  scope(event: ProjectedEvent, before: OrganizationState): WorkspaceMembersScope {
    switch (event.type) {
      case 'WorkspacePrincipalAdded':
      case 'WorkspacePrincipalRoleChanged':
      case 'WorkspacePrincipalRemoved':
        return {
          workspaceIds: [event.data.workspaceId],
          userIds: [...usersOf(before, event.data.principal)],
        };
      case 'GroupRenamed':
      case 'GroupDeleted': {
        const { groupId } = event.data;
        return {
          workspaceIds: workspacesOfGroups(before, [groupId]),
          userIds: [...usersOf(before, { type: 'group', id: groupId })],
        };
      }
      case 'GroupMembersAdded':
        return {
          workspaceIds: workspacesOfGroups(before, [event.data.groupId]),
          userIds: event.data.userIds,
        };
      case 'GroupMemberRemoved':
        return {
          workspaceIds: workspacesOfGroups(before, [event.data.groupId]),
          userIds: [event.data.userId],
        };
      case 'DirectoryMembershipSynced':
        return {
          workspaceIds: workspacesOfGroups(before, [...event.data.joined, ...event.data.left]),
          userIds: [event.data.userId],
        };
      case 'MemberRemoved':
        return { workspaceIds: [], userIds: [], removedUserId: event.data.userId };
      default:
        return NONE;
    }
  },

  project(_event: ProjectedEvent, scope: WorkspaceMembersScope, after: OrganizationState) {
    const organizationId = after.organizationId;
    const changes: DocumentChange[] = [];
    if (scope.removedUserId !== undefined) {
      changes.push(
        replaceWhere(
          Collections.workspaceMembers,
          { organizationId, userId: scope.removedUserId },
          [],
        ),
      );
    }
    for (const workspaceId of scope.workspaceIds) {
      for (const userId of scope.userIds) {
        const document = workspaceMemberDocument(after, workspaceId, userId);
        changes.push(
          document
            ? put(Collections.workspaceMembers, document)
            : remove(Collections.workspaceMembers, docId(organizationId, workspaceId, userId)),
        );
      }
    }
    return changes;
  },
};
