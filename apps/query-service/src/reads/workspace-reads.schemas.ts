import { namedSchema } from '#libs/http';

/* What the workspace reads answer (R20-R23, R29). */

const ID = { type: 'string', format: 'uuid' } as const;
export const WORKSPACE_ROLES = ['member', 'user', 'editor', 'admin'];
export const PROJECT_ROLES = ['viewer', 'user', 'owner'];

const GRANTED_VIA = {
  type: 'array',
  items: { type: 'string', example: 'group:Risk' },
  description:
    'Every path that grants the role, the one giving it first: `direct`, `group:<name>`, `workspace:<role>`, `org_admin`',
};

/** A workspace as a list shows it: with the reader's own role there. */
export const WORKSPACE = namedSchema('Workspace', {
  type: 'object',
  required: ['workspaceId', 'name', 'role'],
  properties: {
    workspaceId: ID,
    name: { type: 'string', nullable: true },
    role: {
      type: 'string',
      // OpenAPI 3.0: a nullable enum lists null among its values.
      enum: [...WORKSPACE_ROLES, null],
      nullable: true,
      description:
        "The reader's highest role in the workspace; null for org admins, support and auditors, who see every workspace (R20)",
    },
  },
});

export const WORKSPACE_MEMBER = namedSchema('WorkspaceMember', {
  type: 'object',
  required: ['organizationId', 'workspaceId', 'userId', 'role', 'grantedVia'],
  properties: {
    organizationId: ID,
    workspaceId: ID,
    userId: ID,
    role: {
      type: 'string',
      enum: WORKSPACE_ROLES,
      description: 'The highest of their direct and group roles (R21)',
    },
    grantedVia: GRANTED_VIA,
  },
});

const COUNT = { type: 'integer', minimum: 0 } as const;

export const WORKSPACE_USAGE = namedSchema('WorkspaceUsage', {
  type: 'object',
  required: ['workspaceId', 'name', 'projects', 'dashboards', 'groups', 'users'],
  properties: {
    workspaceId: ID,
    name: { type: 'string' },
    projects: COUNT,
    dashboards: COUNT,
    groups: { ...COUNT, description: 'Groups holding a role in the workspace' },
    users: {
      ...COUNT,
      description: 'Users with access to the workspace, directly or through a group',
    },
  },
});

/** A project of a workspace as a list shows it: with the reader's own role on it. */
export const WORKSPACE_PROJECT = namedSchema('WorkspaceProject', {
  type: 'object',
  required: ['projectId', 'name', 'role'],
  properties: {
    projectId: ID,
    name: { type: 'string' },
    role: {
      type: 'string',
      enum: [...PROJECT_ROLES, null],
      nullable: true,
      description:
        "The reader's effective role on the project (R28); null for support and auditors",
    },
  },
});

export const DASHBOARD = namedSchema('Dashboard', {
  type: 'object',
  required: [
    'organizationId',
    'dashboardId',
    'workspaceId',
    'name',
    'projectIds',
    'createdBy',
    'accessibleProjectIds',
  ],
  properties: {
    organizationId: ID,
    dashboardId: ID,
    workspaceId: ID,
    name: { type: 'string' },
    projectIds: { type: 'array', items: ID, description: 'The projects it reads' },
    createdBy: { type: 'string', description: 'The userId of its creator' },
    accessibleProjectIds: {
      type: 'array',
      items: ID,
      description: 'Those of its projects whose data the reader may see (R29)',
    },
  },
});

/** Every dashboard of a workspace, in one answer: a workspace holds few. */
export const DASHBOARDS = namedSchema('Dashboards', {
  type: 'object',
  required: ['items'],
  properties: { items: { type: 'array', items: DASHBOARD } },
});
