import Database from 'better-sqlite3';
import {
  type LatestSnapshotQuery,
  positionKey,
  type Snapshot,
  type SnapshotStore,
  SnapshotStoreUnavailableError,
} from './snapshot-store.port.js';
import { LATEST_ONLY, revisionsToKeep, type RetentionPolicy } from './retention.js';

interface SnapshotRow {
  revision: number;
  position: string;
  time: string;
  fold_version: string;
  state: Buffer;
}

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS snapshots (
    stream       TEXT    NOT NULL,
    fold_version TEXT    NOT NULL,
    revision     INTEGER NOT NULL,
    position     TEXT    NOT NULL,
    -- positionKey(position): fixed width, so text order is numeric order.
    position_key TEXT    NOT NULL,
    time         TEXT    NOT NULL,
    time_ms      INTEGER NOT NULL,
    state        BLOB    NOT NULL,
    PRIMARY KEY (stream, fold_version, revision)
  ) STRICT, WITHOUT ROWID;
`;

/**
 * The embedded SnapshotStore: one SQLite file beside the event store (`snapshots.sqlite` in
 * DATA_DIR), WAL. Its own file rather than a table of events.sqlite, so that a multi-megabyte
 * snapshot write never holds the event store's single writer lock, and deleting the file is a
 * safe way to drop every snapshot.
 *
 * `synchronous = NORMAL`: a snapshot lost in a power cut is only a slower next load, so saves
 * skip the fsync the event store pays on every commit. A save and its thinning are one
 * transaction: a reader sees the old set or the new one.
 */
export class SqliteSnapshotStore implements SnapshotStore {
  private readonly db: Database.Database;
  private readonly saveInTransaction: (
    stream: string,
    snapshot: Snapshot,
    retention: RetentionPolicy,
  ) => void;
  private readonly statements: ReturnType<typeof prepare>;
  private closed = false;

  constructor(filename: string, options: { busyTimeoutMs?: number } = {}) {
    this.db = new Database(filename);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    this.db.pragma(`busy_timeout = ${options.busyTimeoutMs ?? 5000}`);
    this.db.exec(SCHEMA);
    this.statements = prepare(this.db);
    this.saveInTransaction = this.db.transaction(
      (stream: string, snapshot: Snapshot, retention: RetentionPolicy) => {
        const s = this.statements;
        s.insert.run({
          stream,
          foldVersion: snapshot.foldVersion,
          revision: snapshot.revision,
          position: snapshot.position,
          positionKey: positionKey(snapshot.position),
          time: snapshot.time,
          timeMs: Date.parse(snapshot.time),
          state: Buffer.from(
            snapshot.state.buffer,
            snapshot.state.byteOffset,
            snapshot.state.byteLength,
          ),
        });
        s.dropOtherVersions.run(stream, snapshot.foldVersion);
        const revisions = (
          s.revisions.all(stream, snapshot.foldVersion) as { revision: number }[]
        ).map((row) => row.revision);
        const keep = revisionsToKeep(revisions, retention);
        for (const revision of revisions) {
          if (!keep.has(revision)) s.drop.run(stream, snapshot.foldVersion, revision);
        }
      },
    );
  }

  async save(stream: string, snapshot: Snapshot, retention = LATEST_ONLY): Promise<void> {
    this.run(() => this.saveInTransaction(stream, snapshot, retention));
  }

  async latest(stream: string, query: LatestSnapshotQuery): Promise<Snapshot | undefined> {
    const row = this.run(
      () =>
        this.statements.latest.get({
          stream,
          foldVersion: query.foldVersion,
          maxRevision: query.maxRevision ?? null,
          maxPositionKey: query.maxPosition === undefined ? null : positionKey(query.maxPosition),
          maxTime: query.maxTime ?? null,
        }) as SnapshotRow | undefined,
    );
    if (!row) return undefined;
    return {
      revision: row.revision,
      position: row.position,
      time: row.time,
      foldVersion: row.fold_version,
      state: new Uint8Array(row.state.buffer, row.state.byteOffset, row.state.byteLength),
    };
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.db.close();
  }

  private run<T>(work: () => T): T {
    if (this.closed) throw new SnapshotStoreUnavailableError('The snapshot store is closed.');
    try {
      return work();
    } catch (error) {
      if (error instanceof SnapshotStoreUnavailableError) throw error;
      throw new SnapshotStoreUnavailableError(
        `The SQLite snapshot store failed: ${(error as Error).message}`,
        { cause: error },
      );
    }
  }
}

function prepare(db: Database.Database) {
  return {
    insert: db.prepare(`
      INSERT OR REPLACE INTO snapshots
        (stream, fold_version, revision, position, position_key, time, time_ms, state)
      VALUES (@stream, @foldVersion, @revision, @position, @positionKey, @time, @timeMs, @state)`),
    dropOtherVersions: db.prepare(`DELETE FROM snapshots WHERE stream = ? AND fold_version <> ?`),
    revisions: db.prepare(`SELECT revision FROM snapshots WHERE stream = ? AND fold_version = ?`),
    drop: db.prepare(
      `DELETE FROM snapshots WHERE stream = ? AND fold_version = ? AND revision = ?`,
    ),
    // Within a stream, revision, position and (as the history records it) time grow together,
    // so the newest matching every bound is the first in revision order that does.
    latest: db.prepare(`
      SELECT revision, position, time, fold_version, state FROM snapshots
      WHERE stream = @stream AND fold_version = @foldVersion
        AND (@maxRevision IS NULL OR revision <= @maxRevision)
        AND (@maxPositionKey IS NULL OR position_key <= @maxPositionKey)
        AND (@maxTime IS NULL OR time_ms <= @maxTime)
      ORDER BY revision DESC LIMIT 1`),
  };
}
