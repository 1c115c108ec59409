import type { Command } from '../shared/command.js';

export type CreateGroup = Command<'CreateGroup', { groupId: string; name: string }>;
export type LinkDirectoryGroup = Command<
  'LinkDirectoryGroup',
  { groupId: string; name: string; directoryGroupId: string }
>;
export type RenameGroup = Command<'RenameGroup', { groupId: string; name: string }>;
export type DeleteGroup = Command<'DeleteGroup', { groupId: string }>;
/** Manual groups only (R17, R18). */
export type AddGroupMembers = Command<'AddGroupMembers', { groupId: string; userIds: string[] }>;
export type RemoveGroupMember = Command<'RemoveGroupMember', { groupId: string; userId: string }>;

export type GroupCommand =
  | CreateGroup
  | LinkDirectoryGroup
  | RenameGroup
  | DeleteGroup
  | AddGroupMembers
  | RemoveGroupMember;
