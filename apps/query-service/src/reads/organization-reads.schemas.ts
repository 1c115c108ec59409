import { namedSchema } from '#libs/http';

/* What the organization reads answer, as documents of the read models without their `_id`. */

const ID = { type: 'string', format: 'uuid' } as const;
const MEMBER_STATUSES = ['invited', 'active', 'deactivated'];

/** The organization's catalog: its Master Client Permissions list. */
export const CATALOG = namedSchema('Catalog', {
  type: 'object',
  required: ['permissions'],
  properties: {
    permissions: { type: 'array', items: { type: 'string', example: 'checks.read' } },
  },
});

export const ROLE = namedSchema('Role', {
  type: 'object',
  required: ['organizationId', 'roleId', 'name', 'builtIn', 'permissions'],
  properties: {
    organizationId: ID,
    roleId: {
      type: 'string',
      description: "A custom role's id (UUID), or `full_access` / `default_access` (R2)",
    },
    name: { type: 'string' },
    builtIn: { type: 'boolean' },
    permissions: {
      type: 'array',
      items: { type: 'string' },
      description: 'What the role grants now, within the catalog (R2, R4)',
    },
  },
});

export const MEMBER = namedSchema('Member', {
  type: 'object',
  required: [
    'organizationId',
    'userId',
    'email',
    'emailKey',
    'subject',
    'issuer',
    'identityKey',
    'status',
    'roleId',
    'roleName',
    'groupIds',
  ],
  properties: {
    organizationId: ID,
    userId: ID,
    email: { type: 'string', example: 'grace@acme.test' },
    emailKey: {
      type: 'string',
      description: 'The email lowercased: emails are unique per organization, case-insensitive',
    },
    subject: {
      type: 'string',
      nullable: true,
      description:
        "The identity provider's `sub` the member is bound to since first sign-in; null before (S5)",
    },
    issuer: {
      type: 'string',
      nullable: true,
      description:
        'The token issuer the member is bound to; null before first sign-in, or when bound before issuers were recorded (S5)',
    },
    identityKey: {
      type: 'string',
      nullable: true,
      description:
        'Issuer and subject together, as the member is looked up by (S5); null before first sign-in',
    },
    status: { type: 'string', enum: MEMBER_STATUSES },
    roleId: { type: 'string' },
    roleName: { type: 'string' },
    groupIds: { type: 'array', items: ID },
  },
});

export const GROUP = namedSchema('Group', {
  type: 'object',
  required: ['organizationId', 'groupId', 'name', 'kind', 'directoryGroupId', 'memberIds'],
  properties: {
    organizationId: ID,
    groupId: ID,
    name: { type: 'string' },
    kind: { type: 'string', enum: ['manual', 'directory'] },
    directoryGroupId: {
      type: 'string',
      nullable: true,
      description:
        "A directory group's id in the tokens' `groups` claim (R18); null for a manual group",
    },
    memberIds: { type: 'array', items: ID, description: 'The userIds of its members' },
  },
});
