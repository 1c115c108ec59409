import type { ReferenceObject, SchemaObject } from '@nestjs/swagger';
import { DASHBOARD_ACTIONS, PROJECT_ACTIONS, WORKSPACE_ACTIONS } from '#libs/access';
import { ERROR, namedSchema } from '#libs/http';

/* The OpenAPI schemas of R31's check routes: what a client generates its types from. */

const POSITION = { type: 'string', pattern: '^\\d+$', example: '42' } as const;

/** Inline, not named: OpenAPI 3.0 makes only a schema with its own `type` nullable. */
const EVENT_REF: SchemaObject = {
  type: 'object',
  nullable: true,
  required: ['eventId', 'type', 'actor', 'time', 'position'],
  description: 'The event that set this edge (R31); null only for a history older than provenance',
  properties: {
    eventId: { type: 'string', format: 'uuid' },
    type: { type: 'string', example: 'GroupMembersAdded' },
    actor: {
      type: 'object',
      required: ['type', 'id'],
      properties: { type: { type: 'string' }, id: { type: 'string' } },
    },
    time: { type: 'string', format: 'date-time' },
    position: POSITION,
  },
};

const ACCESS_PATH = namedSchema('AccessPath', {
  type: 'object',
  required: ['via', 'grants', 'edges'],
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
    grants: {
      type: 'string',
      example: 'project:viewer',
      description: 'What the path grants: a permission, a role, or `manager` (R25-R27)',
    },
    edges: {
      type: 'array',
      items: {
        type: 'object',
        required: ['from', 'relation', 'to', 'event'],
        properties: {
          from: { type: 'string', example: 'user:…' },
          relation: { type: 'string', example: 'member_of' },
          to: { type: 'string', example: 'group:…' },
          event: EVENT_REF,
        },
      },
    },
  },
});

const ANSWER_PROPERTIES: Record<string, SchemaObject | ReferenceObject> = {
  allowed: { type: 'boolean' },
  role: {
    type: 'string',
    enum: ['member', 'user', 'editor', 'admin', 'viewer', 'owner'],
    description: 'The effective workspace or project role, where one applies (R22, R28)',
  },
  reason: {
    type: 'string',
    description: 'With explain, when nothing grants it: why the subject holds nothing',
  },
  paths: {
    type: 'array',
    items: ACCESS_PATH,
    description: 'With explain: every path that grants it',
  },
};

/** One check answered: in a batch, beside the refused ones. */
export const CHECK_ANSWER = namedSchema('CheckAnswer', {
  type: 'object',
  required: ['allowed'],
  properties: ANSWER_PROPERTIES,
});

/** One check answered, with the point of the organization it reflects. */
export const CHECK_RESULT = namedSchema('CheckResult', {
  type: 'object',
  required: ['allowed', 'position'],
  properties: {
    ...ANSWER_PROPERTIES,
    position: { ...POSITION, description: 'The last event the answer reflects' },
    time: {
      type: 'string',
      format: 'date-time',
      description: 'With asOf: when that event was recorded',
    },
  },
});

const CHECK_REFUSED = namedSchema('CheckRefused', {
  type: 'object',
  required: ['error'],
  description: 'A check of a batch refused: the error it alone would have answered',
  properties: { error: ERROR },
});

export const CHECK_RESULTS = namedSchema('CheckResults', {
  type: 'object',
  required: ['results', 'position'],
  properties: {
    results: {
      type: 'array',
      description: 'In the order asked; a refused check carries its error instead',
      items: { oneOf: [CHECK_ANSWER, CHECK_REFUSED] },
    },
    position: { ...POSITION, description: 'The last event the answers reflect' },
    time: {
      type: 'string',
      format: 'date-time',
      description: 'With asOf: when that event was recorded',
    },
  },
});

export const CHECK_ACTIONS = [
  ...new Set([...WORKSPACE_ACTIONS, ...PROJECT_ACTIONS, ...DASHBOARD_ACTIONS]),
];

const CHECK = namedSchema('Check', {
  type: 'object',
  required: ['subject'],
  properties: {
    subject: { type: 'string', example: 'user:<userId> or apiKey:<keyId>' },
    permission: { type: 'string', example: 'checks.read' },
    resource: { type: 'string', example: 'workspace:<id>, project:<id> or dashboard:<id>' },
    action: { type: 'string', enum: CHECK_ACTIONS },
    project: {
      type: 'string',
      format: 'uuid',
      description: "With a dashboard's view_data: the project asked about",
    },
  },
});

export const CHECK_BATCH = namedSchema('CheckBatch', {
  type: 'object',
  required: ['checks'],
  properties: {
    checks: { type: 'array', minItems: 1, maxItems: 1000, items: CHECK },
    explain: { type: 'boolean', default: false },
  },
});
