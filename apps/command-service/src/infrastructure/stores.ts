import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Settings } from '#libs/config';
import { openEventStore, type EventStore } from '#libs/event-store';
import type { IdempotencyStore } from '../idempotency/idempotency.store.js';
import { SqliteIdempotencyStore } from '../idempotency/sqlite-idempotency.store.js';

export interface Stores {
  eventStore: EventStore;
  idempotencyStore: IdempotencyStore;
}

/** The event store (see openEventStore) and the idempotency keys' file in the data directory. */
export function openStores(settings: Settings): Stores {
  const eventStore = openEventStore(settings);
  mkdirSync(settings.dataDir, { recursive: true });
  const idempotencyStore = new SqliteIdempotencyStore(
    join(settings.dataDir, 'idempotency.sqlite'),
    settings.idempotencyTtlSeconds * 1000,
  );
  return { eventStore, idempotencyStore };
}
