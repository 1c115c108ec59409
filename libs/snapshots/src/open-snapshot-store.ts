import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Settings } from '#libs/config';
import { MongoSnapshotStore } from './mongo-snapshot-store.js';
import type { SnapshotStore } from './snapshot-store.port.js';
import { SqliteSnapshotStore } from './sqlite-snapshot-store.js';

/** The SQLite file of the embedded default's snapshots, beside events.sqlite. */
export const SNAPSHOTS_FILE = 'snapshots.sqlite';

/**
 * MongoDB (GridFS) when MONGO_URL is set, else a SQLite file in the data directory; undefined
 * when SNAPSHOTS=off. Production keeps them in MongoDB rather than in an EventStoreDB stream
 * (ADR 19): they are multi-megabyte, deleted as they are thinned, and nobody subscribes to them.
 */
export function openSnapshotStore(settings: Settings): SnapshotStore | undefined {
  if (!settings.snapshots.enabled) return undefined;
  if (settings.mongoUrl) return new MongoSnapshotStore(settings.mongoUrl);
  mkdirSync(settings.dataDir, { recursive: true });
  return new SqliteSnapshotStore(join(settings.dataDir, SNAPSHOTS_FILE));
}
