import type { GroupEvent } from '../../group/group.events.js';
import { addToIndex, removeFromIndex } from '../indexes.js';
import { normalizeName, type GroupState, type OrganizationState } from '../organization.state.js';

/** Folds group events; updates `state` in place (see decider.ts). */
export function evolveGroups(state: OrganizationState, event: GroupEvent): OrganizationState {
  switch (event.type) {
    case 'GroupCreated':
      putGroup(state, { ...event.data, kind: 'manual', members: new Set() });
      return state;
    case 'DirectoryGroupLinked':
      putGroup(state, { ...event.data, kind: 'directory', members: new Set() });
      return state;
    case 'GroupRenamed': {
      const group = state.groups.get(event.data.groupId);
      if (!group) return state;
      state.groupIdByName.delete(normalizeName(group.name));
      group.name = event.data.name;
      state.groupIdByName.set(normalizeName(group.name), group.groupId);
      return state;
    }
    case 'GroupDeleted': {
      // Its workspace and project roles leave in the events caused by this one (R19).
      const group = state.groups.get(event.data.groupId);
      if (!group) return state;
      for (const userId of group.members)
        removeFromIndex(state.groupsByUser, userId, group.groupId);
      state.groupIdByName.delete(normalizeName(group.name));
      if (group.directoryGroupId !== undefined) {
        state.groupIdByDirectoryId.delete(group.directoryGroupId);
      }
      state.groups.delete(group.groupId);
      return state;
    }
    case 'GroupMembersAdded':
      for (const userId of event.data.userIds) join(state, event.data.groupId, userId);
      return state;
    case 'GroupMemberRemoved':
      leave(state, event.data.groupId, event.data.userId);
      return state;
    case 'DirectoryMembershipSynced':
      for (const groupId of event.data.joined) join(state, groupId, event.data.userId);
      for (const groupId of event.data.left) leave(state, groupId, event.data.userId);
      return state;
    default: {
      const _exhaustive: never = event;
      return state;
    }
  }
}

function putGroup(state: OrganizationState, group: GroupState): void {
  state.groups.set(group.groupId, group);
  state.groupIdByName.set(normalizeName(group.name), group.groupId);
  if (group.directoryGroupId !== undefined) {
    state.groupIdByDirectoryId.set(group.directoryGroupId, group.groupId);
  }
}

function join(state: OrganizationState, groupId: string, userId: string): void {
  const group = state.groups.get(groupId);
  if (!group) return;
  group.members.add(userId);
  addToIndex(state.groupsByUser, userId, groupId);
}

function leave(state: OrganizationState, groupId: string, userId: string): void {
  state.groups.get(groupId)?.members.delete(userId);
  removeFromIndex(state.groupsByUser, userId, groupId);
}
