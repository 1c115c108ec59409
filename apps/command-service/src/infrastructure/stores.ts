import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Settings } from '#libs/config';
import { EventStoreDbEventStore, SqliteEventStore, type EventStore } from '#libs/event-store';
import type { IdempotencyStore } from '../idempotency/idempotency.store.js';
import { SqliteIdempotencyStore } from '../idempotency/sqlite-idempotency.store.js';

export interface Stores {
  eventStore: EventStore;
  idempotencyStore: IdempotencyStore;
}

/** EventStoreDB when EVENTSTORE_URL is set, else the embedded SQLite store in the data directory. */
export function openStores(settings: Settings): Stores {
  mkdirSync(settings.dataDir, { recursive: true });
  const eventStore = settings.eventStoreUrl
    ? new EventStoreDbEventStore(settings.eventStoreUrl)
    : new SqliteEventStore(join(settings.dataDir, 'events.sqlite'));
  const idempotencyStore = new SqliteIdempotencyStore(
    join(settings.dataDir, 'idempotency.sqlite'),
    settings.idempotencyTtlSeconds * 1000,
  );
  return { eventStore, idempotencyStore };
}
