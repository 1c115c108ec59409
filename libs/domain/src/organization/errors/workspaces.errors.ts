import { DomainError } from '../../shared/domain-error.js';
import { principalKey, type Principal } from '../../shared/principal.js';

export const WorkspaceErrors = {
  workspaceNotFound: (workspaceId: string) =>
    new DomainError('not_found', 'WORKSPACE_NOT_FOUND', `Workspace ${workspaceId} not found.`, {
      workspaceId,
    }),
  workspaceAlreadyExists: (workspaceId: string) =>
    new DomainError(
      'conflict',
      'WORKSPACE_ALREADY_EXISTS',
      `Workspace ${workspaceId} already exists.`,
      { workspaceId },
    ),
  workspaceNameTaken: (name: string) =>
    new DomainError(
      'conflict',
      'WORKSPACE_NAME_TAKEN',
      `A workspace named "${name}" already exists (names are case-insensitive); choose another name.`,
      { name },
    ),
  invalidWorkspaceRole: (role: unknown) =>
    new DomainError(
      'invalid',
      'INVALID_WORKSPACE_ROLE',
      `Workspace roles are member, user, editor or admin; got ${JSON.stringify(role)}.`,
      { field: 'role' },
    ),
  principalAlreadyInWorkspace: (workspaceId: string, principal: Principal) =>
    new DomainError(
      'conflict',
      'PRINCIPAL_ALREADY_IN_WORKSPACE',
      `${principalKey(principal)} already holds a role in workspace ${workspaceId}; change its role instead.`,
      { workspaceId, principal },
    ),
  principalNotInWorkspace: (workspaceId: string, principal: Principal) =>
    new DomainError(
      'not_found',
      'PRINCIPAL_NOT_IN_WORKSPACE',
      `${principalKey(principal)} holds no role in workspace ${workspaceId}.`,
      { workspaceId, principal },
    ),
};
