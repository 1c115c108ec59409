/** The Kafka topic of every event (ADR 11); `v1` is the envelope's version, not an event's. */
export const EVENTS_TOPIC = 'access-ledger.events.v1';

/** CloudEvents `source` of an organization's events. */
export const sourceOf = (organizationId: string): string =>
  `/access-ledger/organizations/${organizationId}`;

/**
 * CloudEvents `dataschema` and the JSON Schema `$id` of one event type and version: a URN,
 * since the schemas ship in docs/asyncapi.yaml rather than at a URL anyone hosts.
 */
export const dataschemaOf = (type: string, version: number): string =>
  `urn:access-ledger:schemas:events:${type}:v${version}`;
