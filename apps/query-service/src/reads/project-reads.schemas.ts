import { namedSchema } from '#libs/http';
import { PROJECT_ROLES } from './workspace-reads.schemas.js';

/* What the project reads answer (R28). */

const ID = { type: 'string', format: 'uuid' } as const;

/** One row of the project members table: also a row of the user-project CSV (R30). */
export const PROJECT_MEMBER = namedSchema('ProjectMember', {
  type: 'object',
  required: [
    'organizationId',
    'projectId',
    'projectName',
    'workspaceId',
    'workspaceName',
    'userId',
    'email',
    'status',
    'orgRole',
    'role',
    'grantedVia',
    'manages',
  ],
  properties: {
    organizationId: ID,
    projectId: ID,
    projectName: { type: 'string' },
    workspaceId: ID,
    workspaceName: { type: 'string' },
    userId: ID,
    email: { type: 'string' },
    status: { type: 'string', enum: ['invited', 'active', 'deactivated'] },
    orgRole: { type: 'string', description: "The name of the member's organization role" },
    role: { type: 'string', enum: PROJECT_ROLES, description: 'The effective role (R28)' },
    grantedVia: {
      type: 'array',
      items: { type: 'string', example: 'workspace:editor' },
      description:
        'Every path that grants access, the one giving `role` first: `direct`, `group:<name>`, `workspace:<role>`, `org_admin`',
    },
    manages: {
      type: 'boolean',
      description:
        'Whether they manage the project: its owner, a workspace admin or an org admin (R25-R27)',
    },
  },
});
