import type { DomainEvent } from '../shared/decider.js';

/** A manual group (R17). */
export type GroupCreated = DomainEvent<'GroupCreated', { groupId: string; name: string }>;
/** A directory group, linked to an identity-provider group id (R18). */
export type DirectoryGroupLinked = DomainEvent<
  'DirectoryGroupLinked',
  { groupId: string; name: string; directoryGroupId: string }
>;
export type GroupRenamed = DomainEvent<'GroupRenamed', { groupId: string; name: string }>;
/** Its workspace and project roles go with it, in WorkspacePrincipalRemoved/ProjectMembersRemoved events caused by this one (R19). */
export type GroupDeleted = DomainEvent<'GroupDeleted', { groupId: string }>;
export type GroupMembersAdded = DomainEvent<
  'GroupMembersAdded',
  { groupId: string; userIds: string[] }
>;
export type GroupMemberRemoved = DomainEvent<
  'GroupMemberRemoved',
  { groupId: string; userId: string }
>;
/** At sign-in, from the `groups` claim: the directory groups a member joined and left (R18). */
export type DirectoryMembershipSynced = DomainEvent<
  'DirectoryMembershipSynced',
  { userId: string; joined: string[]; left: string[] }
>;

export type GroupEvent =
  | GroupCreated
  | DirectoryGroupLinked
  | GroupRenamed
  | GroupDeleted
  | GroupMembersAdded
  | GroupMemberRemoved
  | DirectoryMembershipSynced;
