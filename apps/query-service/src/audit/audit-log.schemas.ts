import type { ApiQueryOptions, ApiResponseSchemaHost } from '@nestjs/swagger';
import { EVENT_TYPES } from '#libs/messaging';
import { MAX_PAGE_SIZE } from '../pagination.js';

/* The OpenAPI schemas and parameters of R34's audit-log routes. */

type SchemaObject = ApiResponseSchemaHost['schema'];

export const AUDIT_ENTRY: SchemaObject = {
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
    data: { type: 'object', description: 'The publishable data of the event (S2: no secrets)' },
  },
};

export const AUDIT_PAGE: SchemaObject = {
  type: 'object',
  required: ['items', 'nextCursor'],
  properties: {
    items: { type: 'array', items: AUDIT_ENTRY },
    nextCursor: { type: 'string', nullable: true, description: 'Pass as cursor for the next page' },
  },
};

export const AUDIT_FILTER_QUERIES: ApiQueryOptions[] = [
  {
    name: 'type',
    required: false,
    description: 'One event type, or a comma-separated list',
    example: 'MemberRoleChanged,MemberRemoved',
  },
  {
    name: 'actor',
    required: false,
    description: 'user:<sub>, api_key:<keyId>, support:<id>, auditor:<id> or system:<id>',
  },
  {
    name: 'subject',
    required: false,
    description:
      'member:<id>, group:<id>, workspace:<id>, project:<id>, dashboard:<id>, role:<id> or apiKey:<id>',
  },
  {
    name: 'from',
    required: false,
    description: 'Inclusive: an ISO-8601 instant or a global position',
  },
  {
    name: 'to',
    required: false,
    description: 'Inclusive: an ISO-8601 instant or a global position',
  },
  {
    name: 'minPosition',
    required: false,
    description: 'Answer only once the read models reached this position (R35)',
  },
];

export const AUDIT_PAGE_QUERIES: ApiQueryOptions[] = [
  { name: 'limit', required: false, description: `1 to ${MAX_PAGE_SIZE}, default 100` },
  { name: 'cursor', required: false, description: 'The nextCursor of the previous page' },
];
