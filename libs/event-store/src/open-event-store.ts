import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Settings } from '#libs/config';
import type { EventStore } from './event-store.port.js';
import { EventStoreDbEventStore } from './eventstoredb-event-store.js';
import { SqliteEventStore } from './sqlite-event-store.js';

/** The SQLite file of the embedded default, in the data directory. */
export const EVENTS_FILE = 'events.sqlite';

/** EventStoreDB when EVENTSTORE_URL is set, else the embedded SQLite store in the data directory. */
export function openEventStore(settings: Settings): EventStore {
  if (settings.eventStoreUrl) return new EventStoreDbEventStore(settings.eventStoreUrl);
  mkdirSync(settings.dataDir, { recursive: true });
  return new SqliteEventStore(join(settings.dataDir, EVENTS_FILE));
}
