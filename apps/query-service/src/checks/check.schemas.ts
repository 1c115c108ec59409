import type { ApiResponseSchemaHost } from '@nestjs/swagger';
import { DASHBOARD_ACTIONS, PROJECT_ACTIONS, WORKSPACE_ACTIONS } from '#libs/access';

/* The OpenAPI schemas of R31's check routes: what a client generates its types from. */

type SchemaObject = ApiResponseSchemaHost['schema'];

const EVENT_REF: SchemaObject = {
  type: 'object',
  nullable: true,
  description: 'The event that set this edge (R31)',
  properties: {
    eventId: { type: 'string', format: 'uuid' },
    type: { type: 'string', example: 'GroupMembersAdded' },
    actor: {
      type: 'object',
      properties: { type: { type: 'string' }, id: { type: 'string' } },
    },
    time: { type: 'string', format: 'date-time' },
    position: { type: 'string', example: '42' },
  },
};

const PATH: SchemaObject = {
  type: 'object',
  properties: {
    via: {
      type: 'string',
      enum: [
        'role',
        'api_key',
        'direct',
        'group',
        'ownership',
        'workspace_role',
        'org_admin',
        'creator',
      ],
    },
    grants: { type: 'string', example: 'project:viewer' },
    edges: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          from: { type: 'string', example: 'user:…' },
          relation: { type: 'string', example: 'member_of' },
          to: { type: 'string', example: 'group:…' },
          event: EVENT_REF,
        },
      },
    },
  },
};

export const CHECK_ANSWER: SchemaObject = {
  type: 'object',
  required: ['allowed'],
  properties: {
    allowed: { type: 'boolean' },
    role: {
      type: 'string',
      description: 'The effective workspace or project role, where one applies',
    },
    reason: { type: 'string', description: 'With explain: why the subject holds nothing' },
    paths: { type: 'array', items: PATH, description: 'With explain: every path that grants it' },
  },
};

const ERROR: SchemaObject = {
  type: 'object',
  required: ['statusCode', 'code', 'message'],
  properties: {
    statusCode: { type: 'integer' },
    code: { type: 'string' },
    message: { type: 'string' },
    details: { type: 'object' },
  },
};

export const CHECK_RESPONSE: SchemaObject = {
  ...CHECK_ANSWER,
  required: ['allowed', 'position'],
  properties: {
    ...CHECK_ANSWER.properties,
    position: { type: 'string', description: 'The position the answer reflects' },
    time: {
      type: 'string',
      format: 'date-time',
      description: 'With asOf: when that event was recorded',
    },
  },
};

export const CHECKS_RESPONSE: SchemaObject = {
  type: 'object',
  required: ['results', 'position'],
  properties: {
    results: {
      type: 'array',
      description: 'In the order asked; a refused check carries its error instead',
      items: {
        oneOf: [
          CHECK_ANSWER,
          { type: 'object', required: ['error'], properties: { error: ERROR } },
        ],
      },
    },
    position: { type: 'string' },
    time: { type: 'string', format: 'date-time' },
  },
};

const CHECK_ITEM: SchemaObject = {
  type: 'object',
  required: ['subject'],
  properties: {
    subject: { type: 'string', example: 'user:<userId> or apiKey:<keyId>' },
    permission: { type: 'string', example: 'checks.read' },
    resource: { type: 'string', example: 'workspace:<id>, project:<id> or dashboard:<id>' },
    action: {
      type: 'string',
      enum: [...new Set([...WORKSPACE_ACTIONS, ...PROJECT_ACTIONS, ...DASHBOARD_ACTIONS])],
    },
    project: {
      type: 'string',
      description: "With a dashboard's view_data: the project asked about",
    },
  },
};

export const CHECKS_REQUEST: SchemaObject = {
  type: 'object',
  required: ['checks'],
  properties: {
    checks: { type: 'array', minItems: 1, maxItems: 1000, items: CHECK_ITEM },
    explain: { type: 'boolean', default: false },
  },
};

export const ERROR_RESPONSE = { schema: ERROR };
