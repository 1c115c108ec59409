import type { ApiQueryOptions, SchemaObject } from '@nestjs/swagger';
import { namedSchema } from '#libs/http';
import { EVENT_TYPES } from '#libs/messaging';

/* The OpenAPI schemas and parameters of R34's audit-log routes. */

export const AUDIT_ENTRY = namedSchema('AuditEntry', {
  type: 'object',
  required: [
    'position',
    'time',
    'eventId',
    'organizationId',
    'type',
    'actor',
    'subjects',
    'sentence',
    'cause',
    'correlationId',
    'data',
  ],
  properties: {
    position: { type: 'string', example: '42', description: 'Global position (R32)' },
    time: { type: 'string', format: 'date-time', description: 'When the event was recorded' },
    eventId: { type: 'string', format: 'uuid' },
    organizationId: { type: 'string', format: 'uuid' },
    type: { type: 'string', enum: [...EVENT_TYPES] },
    actor: {
      type: 'object',
      required: ['type', 'id'],
      properties: {
        type: { type: 'string', enum: ['user', 'support', 'auditor', 'api_key', 'system'] },
        id: { type: 'string', description: "A member's identity-provider sub, a key's id, …" },
        email: { type: 'string', description: "A member's email at the time, when known" },
        name: { type: 'string', description: "An API key's name" },
      },
    },
    subjects: {
      type: 'array',
      items: { type: 'string', example: 'members/<userId>' },
      description:
        'What the event names: members/, roles/, groups/, workspaces/, projects/, dashboards/, api-keys/<id>',
    },
    sentence: {
      type: 'string',
      example: 'ada@acme.test changed grace@acme.test\'s role from default_access to "Billing"',
    },
    cause: {
      type: 'object',
      nullable: true,
      description: 'For a cascade: the event that caused it',
      properties: { eventId: { type: 'string', format: 'uuid' }, type: { type: 'string' } },
    },
    correlationId: { type: 'string' },
    data: {
      type: 'object',
      additionalProperties: true,
      description: 'The publishable data of the event (S2: no secrets)',
    },
  },
});

const TEXT = { type: 'string', minLength: 1, maxLength: 2000 } as const;
const POINT = {
  type: 'string',
  description: 'Inclusive: an ISO-8601 instant or a global position',
  example: '2026-12-01T08:00:00Z',
} as const;

/** The filters of the audit log and its export; each must hold (R34). */
export const AUDIT_FILTER_QUERIES: (ApiQueryOptions & { schema: SchemaObject })[] = [
  {
    name: 'type',
    description: 'One event type, or a comma-separated list',
    example: 'MemberRoleChanged,MemberRemoved',
    schema: TEXT,
  },
  {
    name: 'actor',
    description: 'user:<sub>, api_key:<keyId>, support:<id>, auditor:<id> or system:<id>',
    schema: { ...TEXT, pattern: '^(user|api_key|support|auditor|system):.+' },
  },
  {
    name: 'subject',
    description:
      'member:<id>, group:<id>, workspace:<id>, project:<id>, dashboard:<id>, role:<id> or apiKey:<id>',
    schema: {
      type: 'string',
      pattern: '^(member|group|workspace|project|dashboard|role|apiKey):[A-Za-z0-9_-]{1,64}$',
    },
  },
  { name: 'from', schema: POINT },
  { name: 'to', schema: POINT },
];

/** Who may read an organization's audit log (R34), as its 403 says. */
export const AUDIT_REFUSALS = {
  400: 'A malformed filter, limit or cursor, named in `details.fields`',
  403: '`AUDIT_LOG_FORBIDDEN`: a member who is not an org admin, or a key not holding the whole admin namespace. Org admins, auditors and support read it; an org admin can grant full_access.',
};
