import { commandAnswer } from '#libs/http';

/*
 * The answers of the commands that create something: CommandResult and the ids the command
 * chose, so a client can address what it created without reading it back.
 */

const id = (description: string) => ({ type: 'string', format: 'uuid', description });

export const CREATED_ORGANIZATION = commandAnswer('CreatedOrganization', {
  organizationId: id('The new organization'),
  firstUserId: id('Its first member, an org admin (full_access)'),
  defaultWorkspaceId: id('Its `Default` workspace'),
});

export const CREATED_ROLE = commandAnswer('CreatedRole', { roleId: id('The new role') });

export const INVITED_MEMBER = commandAnswer('InvitedMember', {
  userId: id('The invited member, `invited` until their first sign-in'),
});

export const ISSUED_API_KEY = commandAnswer(
  'IssuedApiKey',
  {
    keyId: id('The new key'),
    secret: {
      type: 'string',
      nullable: true,
      example: 'alk_…',
      description:
        'The key itself, shown this once and never stored (R14); null when an Idempotency-Key replay answers',
    },
  },
  {
    secretShownOnce: {
      type: 'boolean',
      enum: [true],
      description: 'Present on an Idempotency-Key replay: the secret went to the first send only',
    },
  },
);

export const CREATED_GROUP = commandAnswer('CreatedGroup', { groupId: id('The new group') });

export const CREATED_WORKSPACE = commandAnswer('CreatedWorkspace', {
  workspaceId: id('The new workspace'),
});

export const CREATED_PROJECT = commandAnswer('CreatedProject', {
  projectId: id('The new project, owned by its creator'),
});

export const CREATED_DASHBOARD = commandAnswer('CreatedDashboard', {
  dashboardId: id('The new dashboard'),
});
