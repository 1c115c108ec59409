import { EVENT_CATALOG, EVENT_TYPES, type EventType } from '../event-catalog.js';
import { schemaOf, versionsOf, type JsonSchema } from '../schemas/index.js';
import { EVENTS_TOPIC } from '../topic.js';
import { toYaml } from './yaml.js';

const CHANNEL = 'accessLedgerEvents';
const KAFKA_BINDING_VERSION = '0.5.0';

const header = (description: string, extra: JsonSchema = {}): JsonSchema => ({
  type: 'string',
  description,
  ...extra,
});

/** The Kafka headers of every message (CloudEvents Kafka binding, binary mode). */
const CLOUD_EVENT_HEADERS: JsonSchema = {
  type: 'object',
  description:
    'CloudEvents 1.0 attributes in binary mode: one `ce_<attribute>` header each, `datacontenttype` as `content-type`. Header values are strings.',
  properties: {
    ce_specversion: header('CloudEvents version.', { const: '1.0' }),
    ce_id: header('Event id (UUID). Delivery is at least once: deduplicate by it.'),
    ce_source: header('`/access-ledger/organizations/<organizationId>`.'),
    ce_type: header('Event type, one of the message names.'),
    ce_subject: header('What the event is about, e.g. `members/<userId>`, `projects/<projectId>`.'),
    ce_time: header('When the event was recorded (RFC 3339).', { format: 'date-time' }),
    ce_dataschema: header('`$id` of the JSON Schema of the value, for this type and version.'),
    ce_schemaversion: header('Schema version of the value (R32), a decimal integer.'),
    ce_organizationid: header('Organization id; also the message key.'),
    ce_stream: header('Event-store stream, `organization-<organizationId>`.'),
    ce_revision: header('0-based revision of the event in its stream, a decimal integer.'),
    ce_position: header('Global position in the event store, a decimal integer (may exceed 2^53).'),
    ce_actortype: {
      type: 'string',
      enum: ['user', 'support', 'auditor', 'api_key', 'system'],
      description: 'Who issued the command.',
    },
    ce_actorid: header('Actor id: JWT `sub` for users, key id for API keys, token name otherwise.'),
    ce_correlationid: header('Correlation id of the request that caused the event.'),
    ce_causationid: header(
      'Id of the request, or of the event of the same decision, that caused it.',
    ),
    ce_traceparent: header(
      'W3C Trace Context `traceparent` of the command that appended the event (CloudEvents distributed-tracing extension), to continue its trace. Present only when the service runs with tracing on.',
      { pattern: '^[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$' },
    ),
    ce_tracestate: header(
      'W3C Trace Context `tracestate` that came with `ce_traceparent`, when there was one.',
    ),
    'content-type': header('Always application/json.', { const: 'application/json' }),
  },
  required: [
    'ce_specversion',
    'ce_id',
    'ce_source',
    'ce_type',
    'ce_subject',
    'ce_time',
    'ce_dataschema',
    'ce_schemaversion',
    'ce_organizationid',
    'ce_stream',
    'ce_revision',
    'ce_position',
    'ce_actortype',
    'ce_actorid',
    'ce_correlationid',
    'ce_causationid',
    'content-type',
  ],
};

const schemaName = (type: EventType, version: number): string => `${type}.v${version}`;

function componentSchemas(): Record<string, unknown> {
  const schemas: Record<string, unknown> = { CloudEventsHeaders: CLOUD_EVENT_HEADERS };
  for (const type of EVENT_TYPES) {
    for (const version of versionsOf(type)) {
      // $schema stays out: AsyncAPI states the format on the message, not in the schema.
      const { $schema: _draft, ...schema } = schemaOf(type, version) as JsonSchema;
      schemas[schemaName(type, version)] = schema;
    }
  }
  return schemas;
}

function message(type: EventType): Record<string, unknown> {
  const version = EVENT_CATALOG[type].version;
  return {
    name: type,
    title: type,
    contentType: 'application/json',
    headers: {
      allOf: [
        { $ref: '#/components/schemas/CloudEventsHeaders' },
        {
          type: 'object',
          properties: {
            ce_type: { const: type },
            ce_schemaversion: { const: String(version) },
          },
        },
      ],
    },
    payload: { $ref: `#/components/schemas/${schemaName(type, version)}` },
    bindings: {
      kafka: {
        key: {
          type: 'string',
          description: 'Organization id: one organization, one partition, in order.',
        },
        bindingVersion: KAFKA_BINDING_VERSION,
      },
    },
  };
}

/** The AsyncAPI 3.0 document of the topic, generated from the catalog and the schemas. */
export function asyncApiDocument(): Record<string, unknown> {
  const messages = Object.fromEntries(EVENT_TYPES.map((type) => [type, message(type)]));
  const channelMessages = Object.fromEntries(
    EVENT_TYPES.map((type) => [type, { $ref: `#/components/messages/${type}` }]),
  );
  return {
    asyncapi: '3.0.0',
    info: {
      title: 'Access Ledger events',
      version: '1.0.0',
      description: [
        'Every event of Access Ledger, one Kafka message per event.',
        'Messages follow CloudEvents 1.0 in its Kafka binding, binary mode: attributes in `ce_*` headers, the event data as the JSON value.',
        'The key is the organization id, so the events of one organization arrive in order.',
        'Delivery is at least once: consumers deduplicate by `ce_id`.',
        'Secrets are never published (S2): ApiKeyIssued carries no secret and no hash of one.',
        'Schemas are versioned per event type (`ce_schemaversion`); older stored versions are upcast before publishing, so every message carries the current version.',
        'The same envelopes, in CloudEvents JSON, are served as Server-Sent Events at `GET /v1/orgs/{orgId}/changes` and `GET /v1/support/changes`, resumable with `Last-Event-ID` (the position).',
      ].join('\n'),
    },
    defaultContentType: 'application/json',
    servers: {
      local: {
        host: 'localhost:29092',
        protocol: 'kafka',
        description: 'The broker of `docker compose up`.',
      },
    },
    channels: {
      [CHANNEL]: {
        address: EVENTS_TOPIC,
        title: EVENTS_TOPIC,
        description: 'Every event of every organization, keyed by organization id.',
        messages: channelMessages,
        bindings: { kafka: { topic: EVENTS_TOPIC, bindingVersion: KAFKA_BINDING_VERSION } },
      },
    },
    operations: {
      receiveAccessLedgerEvents: {
        action: 'receive',
        title: 'Consume access changes',
        channel: { $ref: `#/channels/${CHANNEL}` },
        messages: EVENT_TYPES.map((type) => ({ $ref: `#/channels/${CHANNEL}/messages/${type}` })),
      },
    },
    components: { schemas: componentSchemas(), messages },
  };
}

/** docs/asyncapi.yaml as it must read. */
export function asyncApiYaml(): string {
  return (
    '# Generated from libs/messaging (event catalog and schemas); do not edit by hand.\n' +
    '# Regenerate: UPDATE_ASYNCAPI=1 npm test -- test/messaging/asyncapi\n' +
    toYaml(asyncApiDocument())
  );
}
