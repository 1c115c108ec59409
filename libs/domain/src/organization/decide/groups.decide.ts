import type {
  AddGroupMembers,
  CreateGroup,
  DeleteGroup,
  LinkDirectoryGroup,
  RemoveGroupMember,
  RenameGroup,
} from '../../group/group.commands.js';
import type {
  DirectoryGroupLinked,
  DirectoryMembershipSynced,
  GroupCreated,
  GroupDeleted,
  GroupMemberRemoved,
  GroupMembersAdded,
  GroupRenamed,
} from '../../group/group.events.js';
import { principalKey } from '../../shared/principal.js';
import { requireId, requireName } from '../../shared/validation.js';
import { requireOrgAdmin } from '../access-graph.authorize.js';
import { GroupErrors } from '../errors/groups.errors.js';
import { OrganizationErrors } from '../organization.errors.js';
import type { OrganizationEvent } from '../organization.events.js';
import {
  normalizeName,
  type GroupState,
  type MemberState,
  type OrganizationState,
} from '../organization.state.js';
import { removalOfPrincipal } from './cascades.js';
import { requireIdList } from './principals.js';

const ORG_ADMINS_ONLY = 'Only org admins manage groups.';

/** R17: org admins create manual groups; names are unique, case-insensitively. */
export function decideCreateGroup(
  command: CreateGroup,
  state: OrganizationState,
  actor: MemberState,
): GroupCreated[] {
  const groupId = requireId(command.data.groupId, 'groupId');
  const name = requireName(command.data.name, 'name', 'INVALID_GROUP_NAME');
  requireOrgAdmin(state, actor.userId, ORG_ADMINS_ONLY);
  requireNewGroup(state, groupId, name);
  return [{ type: 'GroupCreated', data: { groupId, name } }];
}

/**
 * R18: a directory group is linked by its identity-provider id; it starts empty. R42:
 * authorize() has already required truora.directory; groups already linked keep syncing at
 * sign-in without it (directoryMembershipSync is not gated).
 */
export function decideLinkDirectoryGroup(
  command: LinkDirectoryGroup,
  state: OrganizationState,
  actor: MemberState,
): DirectoryGroupLinked[] {
  const groupId = requireId(command.data.groupId, 'groupId');
  const name = requireName(command.data.name, 'name', 'INVALID_GROUP_NAME');
  const directoryGroupId = requireId(command.data.directoryGroupId, 'directoryGroupId');
  requireOrgAdmin(state, actor.userId, ORG_ADMINS_ONLY);
  requireNewGroup(state, groupId, name);
  const linked = state.groupIdByDirectoryId.get(directoryGroupId);
  if (linked !== undefined) throw GroupErrors.directoryGroupAlreadyLinked(directoryGroupId, linked);
  return [{ type: 'DirectoryGroupLinked', data: { groupId, name, directoryGroupId } }];
}

/** R17. Directory groups may be renamed too: only their membership belongs to the directory. */
export function decideRenameGroup(
  command: RenameGroup,
  state: OrganizationState,
  actor: MemberState,
): GroupRenamed[] {
  const group = requireGroup(state, command.data.groupId);
  const name = requireName(command.data.name, 'name', 'INVALID_GROUP_NAME');
  requireOrgAdmin(state, actor.userId, ORG_ADMINS_ONLY);
  if (name === group.name) return [];
  const holder = state.groupIdByName.get(normalizeName(name));
  if (holder !== undefined && holder !== group.groupId) throw GroupErrors.groupNameTaken(name);
  return [{ type: 'GroupRenamed', data: { groupId: group.groupId, name } }];
}

/**
 * R19: refused while the group owns a live project (R25: it would leave it ownerless);
 * otherwise its workspace and project roles go with it, as events caused by GroupDeleted.
 */
export function decideDeleteGroup(
  command: DeleteGroup,
  state: OrganizationState,
  actor: MemberState,
): OrganizationEvent[] {
  const group = requireGroup(state, command.data.groupId);
  requireOrgAdmin(state, actor.userId, ORG_ADMINS_ONLY);
  const principal = { type: 'group' as const, id: group.groupId };
  const owned = state.projectsOwnedBy.get(principalKey(principal));
  if (owned && owned.size > 0)
    throw GroupErrors.groupOwnsProjects(group.groupId, [...owned].sort());
  const deleted: GroupDeleted = { type: 'GroupDeleted', data: { groupId: group.groupId } };
  return [deleted, ...removalOfPrincipal(state, principal, 0)];
}

/** R17: only current org members not yet in the group; never into a directory group (R18). */
export function decideAddGroupMembers(
  command: AddGroupMembers,
  state: OrganizationState,
  actor: MemberState,
): GroupMembersAdded[] {
  const group = requireGroup(state, command.data.groupId);
  const userIds = requireIdList(command.data.userIds, GroupErrors.invalidUserIds);
  requireOrgAdmin(state, actor.userId, ORG_ADMINS_ONLY);
  requireManual(group);
  for (const userId of userIds) {
    if (!state.members.has(userId)) throw OrganizationErrors.memberNotFound(userId);
  }
  const already = userIds.filter((userId) => group.members.has(userId));
  if (already.length > 0) throw GroupErrors.alreadyGroupMember(group.groupId, already);
  return [{ type: 'GroupMembersAdded', data: { groupId: group.groupId, userIds } }];
}

export function decideRemoveGroupMember(
  command: RemoveGroupMember,
  state: OrganizationState,
  actor: MemberState,
): GroupMemberRemoved[] {
  const group = requireGroup(state, command.data.groupId);
  const userId = requireId(command.data.userId, 'userId');
  requireOrgAdmin(state, actor.userId, ORG_ADMINS_ONLY);
  requireManual(group);
  if (!group.members.has(userId)) throw GroupErrors.notGroupMember(group.groupId, userId);
  return [{ type: 'GroupMemberRemoved', data: { groupId: group.groupId, userId } }];
}

/**
 * R18: at sign-in the member joins the linked groups named in the `groups` claim (values are
 * identity-provider group ids) and leaves the other directory groups. Nothing when unchanged.
 */
export function directoryMembershipSync(
  state: OrganizationState,
  userId: string,
  claimed: readonly string[],
): DirectoryMembershipSynced[] {
  const wanted = new Set<string>();
  for (const directoryGroupId of claimed) {
    const groupId = state.groupIdByDirectoryId.get(directoryGroupId);
    if (groupId !== undefined) wanted.add(groupId);
  }
  const current = new Set<string>();
  for (const groupId of state.groupsByUser.get(userId) ?? []) {
    if (state.groups.get(groupId)?.kind === 'directory') current.add(groupId);
  }
  const joined = [...wanted].filter((groupId) => !current.has(groupId)).sort();
  const left = [...current].filter((groupId) => !wanted.has(groupId)).sort();
  if (joined.length === 0 && left.length === 0) return [];
  return [{ type: 'DirectoryMembershipSynced', data: { userId, joined, left } }];
}

function requireGroup(state: OrganizationState, groupId: string): GroupState {
  const group = state.groups.get(requireId(groupId, 'groupId'));
  if (!group) throw GroupErrors.groupNotFound(groupId);
  return group;
}

function requireNewGroup(state: OrganizationState, groupId: string, name: string): void {
  if (state.groups.has(groupId)) throw GroupErrors.groupAlreadyExists(groupId);
  if (state.groupIdByName.has(normalizeName(name))) throw GroupErrors.groupNameTaken(name);
}

/** R18: a directory group's membership comes only from sign-in claims. */
function requireManual(group: GroupState): void {
  if (group.kind === 'directory') throw GroupErrors.directoryGroupReadOnly(group.groupId);
}
