import {
  CLOUD_EVENT_ATTRIBUTES,
  OPTIONAL_CLOUD_EVENT_ATTRIBUTES,
  type CloudEvent,
} from './cloud-event.js';
import type { EventType } from './event-catalog.js';

/**
 * One Kafka message in the CloudEvents Kafka protocol binding, binary content mode: attributes
 * in `ce_<name>` headers, `datacontenttype` in the `content-type` header (as the binding says),
 * the data alone as the value, and the organization id as the key so that each organization's
 * events stay in order on one partition.
 */
export interface KafkaRecord {
  key: string;
  value: string;
  headers: Record<string, string>;
}

export const CONTENT_TYPE_HEADER = 'content-type';
const PREFIX = 'ce_';

export function toKafkaRecord(event: CloudEvent): KafkaRecord {
  const headers: Record<string, string> = {};
  for (const attribute of CLOUD_EVENT_ATTRIBUTES) {
    if (attribute === 'datacontenttype') headers[CONTENT_TYPE_HEADER] = event.datacontenttype;
    else headers[PREFIX + attribute] = String(event[attribute]);
  }
  // `ce_traceparent` (CloudEvents distributed tracing): a consumer continues the trace.
  for (const attribute of OPTIONAL_CLOUD_EVENT_ATTRIBUTES) {
    const value = event[attribute];
    if (value !== undefined) headers[PREFIX + attribute] = value;
  }
  return { key: event.organizationid, value: JSON.stringify(event.data), headers };
}

/** A header as clients hand it over: kafkajs gives Buffers, Nest's parser strings. */
export type HeaderValue = string | Buffer | (string | Buffer)[] | undefined;

/** A message in binary mode that lacks an attribute or is not JSON. */
export class MalformedCloudEventError extends Error {
  readonly code = 'MALFORMED_CLOUD_EVENT';
  constructor(message: string) {
    super(message);
    this.name = 'MalformedCloudEventError';
  }
}

/**
 * The envelope back from a Kafka message (for consumers, and the contract suite). The value
 * may come raw (kafkajs) or already parsed (Nest's Kafka transport parses JSON values).
 */
export function fromKafkaRecord(
  headers: Record<string, HeaderValue>,
  value: string | Buffer | Record<string, unknown> | null,
): CloudEvent {
  const optional = (name: string): string | undefined => {
    const raw = headers[name];
    return (Array.isArray(raw) ? raw[0] : raw)?.toString();
  };
  const get = (name: string): string => {
    const one = optional(name);
    if (one === undefined) throw new MalformedCloudEventError(`Header ${name} is missing.`);
    return one;
  };
  const attr = (name: string): string => get(PREFIX + name);
  if (value === null) throw new MalformedCloudEventError('The message has no value.');
  const specversion = attr('specversion');
  if (specversion !== '1.0') {
    throw new MalformedCloudEventError(`Unsupported CloudEvents version ${specversion}.`);
  }
  return {
    specversion,
    id: attr('id'),
    source: attr('source'),
    type: attr('type') as EventType,
    subject: attr('subject'),
    time: attr('time'),
    datacontenttype: 'application/json',
    dataschema: attr('dataschema'),
    schemaversion: Number(attr('schemaversion')),
    organizationid: attr('organizationid'),
    stream: attr('stream'),
    revision: Number(attr('revision')),
    position: attr('position'),
    actortype: attr('actortype') as CloudEvent['actortype'],
    actorid: attr('actorid'),
    correlationid: attr('correlationid'),
    causationid: attr('causationid'),
    ...Object.fromEntries(
      OPTIONAL_CLOUD_EVENT_ATTRIBUTES.flatMap((name) => {
        const value = optional(PREFIX + name);
        return value === undefined ? [] : [[name, value]];
      }),
    ),
    data:
      typeof value === 'string' || Buffer.isBuffer(value)
        ? (JSON.parse(value.toString()) as Record<string, unknown>)
        : value,
  };
}
