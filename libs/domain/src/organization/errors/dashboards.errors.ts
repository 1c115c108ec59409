import { DomainError } from '../../shared/domain-error.js';

export const DashboardErrors = {
  dashboardNotFound: (dashboardId: string) =>
    new DomainError('not_found', 'DASHBOARD_NOT_FOUND', `Dashboard ${dashboardId} not found.`, {
      dashboardId,
    }),
  dashboardAlreadyExists: (dashboardId: string) =>
    new DomainError(
      'conflict',
      'DASHBOARD_ALREADY_EXISTS',
      `Dashboard ${dashboardId} already exists.`,
      { dashboardId },
    ),
  invalidProjectIds: () =>
    new DomainError(
      'invalid',
      'DASHBOARD_NEEDS_PROJECTS',
      'A dashboard reads at least one project: projectIds must be a non-empty list of project ids.',
      { field: 'projectIds' },
    ),
  projectNotInWorkspace: (workspaceId: string, projectIds: string[]) =>
    new DomainError(
      'rule',
      'PROJECT_NOT_IN_WORKSPACE',
      `A dashboard reads live projects of its own workspace; not live projects of ${workspaceId}: ${projectIds.join(', ')}.`,
      { workspaceId, projectIds },
    ),
  projectAccessRequired: (projectIds: string[]) =>
    new DomainError(
      'forbidden',
      'PROJECT_ACCESS_REQUIRED',
      `You need access to every project a dashboard reads; ask their owners for access to ${projectIds.join(', ')}.`,
      { projectIds },
    ),
};
