import type { EventActor, RecordedEvent } from '#libs/event-store';
import { descriptorOf, type EventType } from './event-catalog.js';
import { publishableData } from './publishable-data.js';
import { dataschemaOf, sourceOf } from './topic.js';

/**
 * The published envelope: CloudEvents 1.0, with R32's fields on the standard attributes where
 * they fit and on extension attributes (lowercase alphanumeric names, as CloudEvents requires)
 * for the rest. The same envelope goes to Kafka (binary mode) and to the SSE feed (as JSON).
 */
export interface CloudEvent<Data = Record<string, unknown>> {
  specversion: '1.0';
  /** The event id (a UUID): consumers deduplicate by it. */
  id: string;
  /** `/access-ledger/organizations/<organizationId>`. */
  source: string;
  type: EventType;
  /** What in the organization the event is about, e.g. `members/<userId>`. */
  subject: string;
  /** When the store recorded the event. */
  time: string;
  datacontenttype: 'application/json';
  /** The JSON Schema `$id` of `data` for this type and version. */
  dataschema: string;
  /** Extensions (R32). */
  schemaversion: number;
  organizationid: string;
  stream: string;
  revision: number;
  /** Global position, a decimal string (positions may exceed 2^53). */
  position: string;
  actortype: EventActor['type'];
  actorid: string;
  correlationid: string;
  causationid: string;
  /**
   * CloudEvents distributed-tracing extension: the W3C Trace Context of the command that
   * appended the event, present only when it ran traced (OTEL_*).
   */
  traceparent?: string;
  tracestate?: string;
  /** The event's payload, upcast to the current version, secrets stripped (S2). */
  data: Data;
}

/** The names of the CloudEvent attributes besides `data`, in a stable order. */
export const CLOUD_EVENT_ATTRIBUTES = [
  'specversion',
  'id',
  'source',
  'type',
  'subject',
  'time',
  'datacontenttype',
  'dataschema',
  'schemaversion',
  'organizationid',
  'stream',
  'revision',
  'position',
  'actortype',
  'actorid',
  'correlationid',
  'causationid',
] as const satisfies readonly Exclude<keyof CloudEvent, 'data'>[];

/** The attributes an envelope carries only when the event recorded them. */
export const OPTIONAL_CLOUD_EVENT_ATTRIBUTES = [
  'traceparent',
  'tracestate',
] as const satisfies readonly Exclude<keyof CloudEvent, 'data'>[];

/**
 * The envelope of a stored event, read at its current version (the UpcastingEventStore reads
 * every event so). Throws UnknownEventTypeError for a type not in the catalog.
 */
export function toCloudEvent(event: RecordedEvent): CloudEvent {
  const descriptor = descriptorOf(event.type);
  const { metadata } = event;
  const data = publishableData(event.type, event.data);
  return {
    specversion: '1.0',
    id: event.id,
    source: sourceOf(metadata.organizationId),
    type: event.type as EventType,
    subject: descriptor.subject(event.data as never),
    time: event.recordedAt,
    datacontenttype: 'application/json',
    dataschema: dataschemaOf(event.type, metadata.schemaVersion),
    schemaversion: metadata.schemaVersion,
    organizationid: metadata.organizationId,
    stream: event.stream,
    revision: event.revision,
    position: event.position,
    actortype: metadata.actor.type,
    actorid: metadata.actor.id,
    correlationid: metadata.correlationId,
    causationid: metadata.causationId,
    ...(metadata.traceparent !== undefined && { traceparent: metadata.traceparent }),
    ...(metadata.tracestate !== undefined && { tracestate: metadata.tracestate }),
    data,
  };
}
