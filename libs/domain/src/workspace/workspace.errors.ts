import { DomainError } from '../shared/domain-error.js';

export const WorkspaceErrors = {
  notYetAvailable: (commandType: string) =>
    new DomainError(
      'forbidden',
      'WORKSPACE_MANAGEMENT_UNAVAILABLE',
      `${commandType} is not yet available to members: workspace management arrives with the workspace issue. Today workspaces change only through organization follow-ups and Support.`,
    ),
  readOnlyActor: () =>
    new DomainError(
      'forbidden',
      'READ_ONLY_ACTOR',
      'Auditors are read-only: they can query history but not change anything.',
    ),
  alreadyExists: (workspaceId: string) =>
    new DomainError(
      'conflict',
      'WORKSPACE_ALREADY_EXISTS',
      `Workspace ${workspaceId} already exists.`,
      { workspaceId },
    ),
  notFound: (workspaceId: string) =>
    new DomainError('not_found', 'WORKSPACE_NOT_FOUND', `Workspace ${workspaceId} not found.`, {
      workspaceId,
    }),
  invalidRole: (role: unknown) =>
    new DomainError(
      'invalid',
      'INVALID_WORKSPACE_ROLE',
      `Workspace roles are member, user, editor or admin; got ${JSON.stringify(role)}.`,
      { field: 'role' },
    ),
  invalidPrincipal: () =>
    new DomainError(
      'invalid',
      'INVALID_PRINCIPAL',
      'A principal is {type: "user" | "group", id: non-empty string}.',
      { field: 'principal' },
    ),
  duplicatePrincipal: (key: string) =>
    new DomainError(
      'invalid',
      'DUPLICATE_PRINCIPAL',
      `Principal ${key} is listed more than once; give each principal one role.`,
      { principal: key },
    ),
};
