import type { OrganizationState } from '#libs/domain';
import type { DocumentChange } from '../document-store.port.js';
import { Collections, type GroupDocument } from '../documents.js';
import type { ProjectedEvent, Projection } from '../projection.js';
import { docId, put, remove } from './changes.js';

/** The groups whose document an event changes. */
type GroupsScope = readonly string[];

const NONE: GroupsScope = [];

/** Members in the order they joined (the state's); sorting every change would cost O(n log n). */
export function groupDocument(
  state: OrganizationState,
  groupId: string,
): GroupDocument | undefined {
  const group = state.groups.get(groupId);
  if (!group) return undefined;
  return {
    _id: docId(state.organizationId, groupId),
    organizationId: state.organizationId,
    groupId,
    name: group.name,
    kind: group.kind,
    directoryGroupId: group.directoryGroupId ?? null,
    memberIds: [...group.members],
  };
}

export function groupDocuments(state: OrganizationState): GroupDocument[] {
  const documents: GroupDocument[] = [];
  for (const groupId of state.groups.keys()) {
    const document = groupDocument(state, groupId);
    if (document) documents.push(document);
  }
  return documents;
}

/** Manual and directory groups with their members (R17, R18, R19). */
export const groupsProjection: Projection<GroupsScope> = {
  name: 'groups',
  version: 1,
  collections: { [Collections.groups]: ['organizationId', 'groupId', 'kind'] },

  scope(event: ProjectedEvent): GroupsScope {
    switch (event.type) {
      case 'GroupCreated':
      case 'DirectoryGroupLinked':
      case 'GroupRenamed':
      case 'GroupDeleted':
      case 'GroupMembersAdded':
      case 'GroupMemberRemoved':
        return [event.data.groupId];
      case 'DirectoryMembershipSynced':
        return [...event.data.joined, ...event.data.left];
      default:
        return NONE;
    }
  },

  project(_event: ProjectedEvent, groupIds: GroupsScope, after: OrganizationState) {
    const changes: DocumentChange[] = [];
    for (const groupId of groupIds) {
      const document = groupDocument(after, groupId);
      changes.push(
        document
          ? put(Collections.groups, document)
          : remove(Collections.groups, docId(after.organizationId, groupId)),
      );
    }
    return changes;
  },
};
