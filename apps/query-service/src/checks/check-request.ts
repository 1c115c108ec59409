import {
  DASHBOARD_ACTIONS,
  isDashboardAction,
  isProjectAction,
  isWorkspaceAction,
  PROJECT_ACTIONS,
  WORKSPACE_ACTIONS,
  type AccessQuery,
  type Subject,
} from '#libs/access';
import { PERMISSION_PATTERN } from '#libs/domain';
import { ApiError, UUID } from '#libs/http';

/** One check as a client writes it: in the query string of GET …/check, or in POST …/checks. */
export interface CheckInput {
  subject?: unknown;
  permission?: unknown;
  resource?: unknown;
  action?: unknown;
  project?: unknown;
}

export interface ParsedCheck {
  subject: Subject;
  query: AccessQuery;
}

const SUBJECT = /^(user|apiKey):(.+)$/;
const RESOURCE = /^(workspace|project|dashboard):(.+)$/;

/**
 * Parses one check, or throws a 400 naming the field (R38). Exactly one of `permission` or
 * `resource` + `action`; `project` only with a dashboard's `view_data`.
 */
export function parseCheck(input: CheckInput, field = ''): ParsedCheck {
  const subject = parseSubject(input.subject, `${field}subject`);
  const { permission, resource, action, project } = input;
  if (permission !== undefined) {
    if (resource !== undefined || action !== undefined || project !== undefined) {
      throw invalid(`${field}permission`, 'Ask either a permission or a resource and an action.');
    }
    if (typeof permission !== 'string' || !PERMISSION_PATTERN.test(permission)) {
      throw invalid(`${field}permission`, 'A permission such as checks.read: [a-z0-9_.:-]{1,128}.');
    }
    return { subject, query: { kind: 'permission', permission } };
  }
  if (resource === undefined) {
    throw invalid(`${field}permission`, 'Give a permission, or a resource and an action.');
  }
  const [, type, id] = (typeof resource === 'string' && RESOURCE.exec(resource)) || [];
  if (!type || !UUID.test(id)) {
    throw invalid(
      `${field}resource`,
      'A resource is workspace:<id>, project:<id> or dashboard:<id>.',
    );
  }
  if (typeof action !== 'string') throw invalid(`${field}action`, 'Give the action to check.');
  if (project !== undefined && !(type === 'dashboard' && action === 'view_data')) {
    throw invalid(`${field}project`, 'project goes only with a dashboard and view_data.');
  }
  switch (type) {
    case 'workspace':
      if (!isWorkspaceAction(action)) throw badAction(field, WORKSPACE_ACTIONS);
      return { subject, query: { kind: 'workspace', workspaceId: id.toLowerCase(), action } };
    case 'project':
      if (!isProjectAction(action)) throw badAction(field, PROJECT_ACTIONS);
      return { subject, query: { kind: 'project', projectId: id.toLowerCase(), action } };
    default: {
      if (!isDashboardAction(action)) throw badAction(field, DASHBOARD_ACTIONS);
      const dashboardId = id.toLowerCase();
      if (action !== 'view_data')
        return { subject, query: { kind: 'dashboard', dashboardId, action } };
      if (typeof project !== 'string' || !UUID.test(project)) {
        throw invalid(
          `${field}project`,
          'view_data asks about one project the dashboard reads: project=<id>.',
        );
      }
      return {
        subject,
        query: { kind: 'dashboard', dashboardId, action, projectId: project.toLowerCase() },
      };
    }
  }
}

function parseSubject(value: unknown, field: string): Subject {
  const [, type, id] = (typeof value === 'string' && SUBJECT.exec(value)) || [];
  if (!type || !UUID.test(id)) {
    throw invalid(field, 'A subject is user:<userId> or apiKey:<keyId>.');
  }
  return { type: type === 'user' ? 'user' : 'api_key', id: id.toLowerCase() };
}

const badAction = (field: string, actions: readonly string[]) =>
  invalid(`${field}action`, `The action is one of ${actions.join(', ')}.`);

function invalid(field: string, message: string): ApiError {
  return new ApiError(400, 'INVALID_CHECK', message, { fields: [field] });
}
