import { DomainError } from '../../shared/domain-error.js';
import { principalKey, type Principal } from '../../shared/principal.js';

const keys = (principals: Principal[]): string => principals.map(principalKey).join(', ');

export const ProjectErrors = {
  /** Deleted projects answer like unknown ones: nothing can be done to them (R27). */
  projectNotFound: (projectId: string) =>
    new DomainError('not_found', 'PROJECT_NOT_FOUND', `Project ${projectId} not found.`, {
      projectId,
    }),
  projectAlreadyExists: (projectId: string) =>
    new DomainError(
      'conflict',
      'PROJECT_ALREADY_EXISTS',
      `Project id ${projectId} is taken (project ids are never reused, even after deletion).`,
      { projectId },
    ),
  invalidProjectRole: (role: unknown) =>
    new DomainError(
      'invalid',
      'INVALID_PROJECT_ROLE',
      `Project members are viewer or user; got ${JSON.stringify(role)}. Ownership moves with TransferOwnership.`,
      { field: 'role' },
    ),
  invalidPrincipals: () =>
    new DomainError(
      'invalid',
      'INVALID_PRINCIPALS',
      'principals must be a non-empty list of principals.',
      { field: 'principals' },
    ),
  principalAlreadyInProject: (projectId: string, principal: Principal, asOwner: boolean) =>
    new DomainError(
      'conflict',
      'PRINCIPAL_ALREADY_IN_PROJECT',
      asOwner
        ? `${principalKey(principal)} owns project ${projectId}.`
        : `${principalKey(principal)} is already a member of project ${projectId}; change its role instead.`,
      { projectId, principal },
    ),
  principalNotInProject: (projectId: string, principals: Principal[]) =>
    new DomainError(
      'not_found',
      'PRINCIPAL_NOT_IN_PROJECT',
      `Not members of project ${projectId}: ${keys(principals)}.`,
      { projectId, principals },
    ),
  ownerRoleFixed: (projectId: string, owner: Principal) =>
    new DomainError(
      'rule',
      'OWNER_ROLE_FIXED',
      `${principalKey(owner)} owns project ${projectId}; its role changes only by transferring ownership.`,
      { projectId, principal: owner },
    ),
  ownerCannotBeRemoved: (projectId: string, owner: Principal) =>
    new DomainError(
      'rule',
      'OWNER_CANNOT_BE_REMOVED',
      `${principalKey(owner)} owns project ${projectId} and cannot be removed; transfer ownership first.`,
      { projectId, principal: owner },
    ),
  newOwnerNotInProject: (projectId: string, principal: Principal) =>
    new DomainError(
      'rule',
      'NEW_OWNER_NOT_IN_PROJECT',
      `Ownership goes to a current member of project ${projectId}; add ${principalKey(principal)} to it first.`,
      { projectId, principal },
    ),
};
