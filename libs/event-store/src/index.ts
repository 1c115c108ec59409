export * from './event-store.port.js';
export { SqliteEventStore, DuplicateEventIdError } from './sqlite-event-store.js';
export type { SqliteEventStoreOptions } from './sqlite-event-store.js';
export { EventStoreDbEventStore } from './eventstoredb-event-store.js';
export * from './open-event-store.js';
export { newEventId, uuid7Generator } from './event-id.js';
export type { Uuid7Options } from './event-id.js';
