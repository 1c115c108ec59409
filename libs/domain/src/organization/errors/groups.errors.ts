import { DomainError } from '../../shared/domain-error.js';

export const GroupErrors = {
  groupNotFound: (groupId: string) =>
    new DomainError('not_found', 'GROUP_NOT_FOUND', `Group ${groupId} not found.`, { groupId }),
  groupAlreadyExists: (groupId: string) =>
    new DomainError('conflict', 'GROUP_ALREADY_EXISTS', `Group ${groupId} already exists.`, {
      groupId,
    }),
  groupNameTaken: (name: string) =>
    new DomainError(
      'conflict',
      'GROUP_NAME_TAKEN',
      `A group named "${name}" already exists (names are case-insensitive); choose another name.`,
      { name },
    ),
  directoryGroupAlreadyLinked: (directoryGroupId: string, groupId: string) =>
    new DomainError(
      'conflict',
      'DIRECTORY_GROUP_ALREADY_LINKED',
      `Directory group ${directoryGroupId} is already linked as group ${groupId}.`,
      { directoryGroupId, groupId },
    ),
  directoryGroupReadOnly: (groupId: string) =>
    new DomainError(
      'rule',
      'DIRECTORY_GROUP_READ_ONLY',
      `Group ${groupId} is synced from your identity provider: change its members there; they follow at each sign-in.`,
      { groupId },
    ),
  invalidUserIds: () =>
    new DomainError(
      'invalid',
      'INVALID_USER_IDS',
      'userIds must be a non-empty list of user ids.',
      { field: 'userIds' },
    ),
  alreadyGroupMember: (groupId: string, userIds: string[]) =>
    new DomainError(
      'conflict',
      'ALREADY_GROUP_MEMBER',
      `Already in group ${groupId}: ${userIds.join(', ')}.`,
      { groupId, userIds },
    ),
  notGroupMember: (groupId: string, userId: string) =>
    new DomainError(
      'not_found',
      'NOT_GROUP_MEMBER',
      `${userId} is not a member of group ${groupId}.`,
      { groupId, userId },
    ),
  groupOwnsProjects: (groupId: string, projectIds: string[]) =>
    new DomainError(
      'conflict',
      'GROUP_OWNS_PROJECTS',
      `Group ${groupId} owns the projects ${projectIds.join(', ')}; transfer their ownership first.`,
      { groupId, projectIds },
    ),
};
