import type { SchemaObject } from '@nestjs/swagger';
import { namedSchema } from '#libs/http';

/* The OpenAPI schemas of R39's route: what a client generates its types from. */

const POINT = namedSchema('AccessChangesPoint', {
  type: 'object',
  required: ['position', 'time'],
  properties: {
    position: {
      type: 'string',
      example: '42',
      description: "The organization's last event at that point; 0 before it existed",
    },
    time: {
      type: 'string',
      format: 'date-time',
      nullable: true,
      description:
        'The instant access is judged at (API keys expire); null for a position before the organization existed',
    },
  },
});

const CAUSE = namedSchema('AccessChangeCause', {
  type: 'object',
  required: ['eventId', 'type', 'actor', 'time', 'position'],
  description:
    'The last event after which the item took its final value; for an API key that expired, type `expiry` at its expiresAt, with no event',
  properties: {
    eventId: { type: 'string', format: 'uuid', nullable: true },
    type: { type: 'string', example: 'MemberRoleChanged' },
    actor: {
      type: 'object',
      nullable: true,
      required: ['type', 'id'],
      properties: { type: { type: 'string' }, id: { type: 'string' } },
    },
    time: { type: 'string', format: 'date-time' },
    position: { type: 'string', example: '42', nullable: true },
  },
});

/** OpenAPI 3.0 makes only a schema with its own `type` nullable: the string one takes null. */
const VALUE: SchemaObject = {
  oneOf: [{ type: 'boolean' }, { type: 'string', nullable: true }],
  description: 'Permissions: true or false; roles: the role, or null for none',
};

export const ACCESS_CHANGE = namedSchema('AccessChange', {
  type: 'object',
  required: ['subject', 'kind', 'item', 'change', 'before', 'after', 'cause'],
  properties: {
    subject: { type: 'string', example: 'user:<userId> or apiKey:<keyId>' },
    email: { type: 'string', description: "A member's email" },
    name: { type: 'string', description: "An API key's name" },
    kind: { type: 'string', enum: ['permission', 'project_role', 'workspace_role'] },
    item: { type: 'string', example: 'checks.read, project:<id> or workspace:<id>' },
    itemName: { type: 'string', description: "The project's or workspace's name" },
    change: { type: 'string', enum: ['gained', 'lost', 'changed'] },
    before: VALUE,
    after: VALUE,
    cause: CAUSE,
  },
});

export const ACCESS_CHANGES = namedSchema('AccessChanges', {
  type: 'object',
  required: ['from', 'to', 'changes'],
  properties: {
    from: POINT,
    to: POINT,
    changes: {
      type: 'array',
      items: ACCESS_CHANGE,
      description: 'Sorted by subject, kind and item',
    },
  },
});
