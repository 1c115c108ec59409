import Database from 'better-sqlite3';
import type { NewEvent } from '#libs/event-store';

/**
 * The raw limit shared by the benches: event-shaped rows in a plain SQLite table with one
 * unique index (the event id), WAL and synchronous=FULL like the store, no event-store logic.
 */
export class RawTable {
  private readonly db: Database.Database;
  private readonly insert: Database.Statement;
  private readonly insertBatch: (events: NewEvent[]) => void;

  constructor(file: string) {
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = FULL');
    this.db.exec(
      `CREATE TABLE raw (position INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE,
         type TEXT NOT NULL, data TEXT NOT NULL, metadata TEXT NOT NULL)`,
    );
    this.insert = this.db.prepare('INSERT INTO raw (id, type, data, metadata) VALUES (?, ?, ?, ?)');
    this.insertBatch = this.db.transaction((events: NewEvent[]) => {
      for (const e of events) this.insertOne(e);
    });
  }

  /** Outside a transaction each statement commits (and fsyncs) on its own. */
  insertOne(e: NewEvent): void {
    this.insert.run(e.id, e.type, JSON.stringify(e.data), JSON.stringify(e.metadata));
  }

  insertMany(events: NewEvent[]): void {
    this.insertBatch(events);
  }

  scan(): IterableIterator<{ data: string; metadata: string }> {
    return this.db.prepare('SELECT * FROM raw ORDER BY position').iterate() as IterableIterator<{
      data: string;
      metadata: string;
    }>;
  }

  count(): number {
    return (this.db.prepare('SELECT COUNT(*) AS n FROM raw').get() as { n: number }).n;
  }

  close(): void {
    this.db.close();
  }
}

/** One row of {@link RawStreamTable}: an event and the place the store would give it. */
export interface RawStreamRow {
  stream: string;
  revision: number;
  event: NewEvent;
}

/**
 * The raw limit on the store's own table shape: the columns and both unique indexes of
 * `SqliteEventStore` (event id; stream and revision), WAL and synchronous=FULL, written with
 * plain inserts in one transaction and none of the store's checks, savepoints or promises.
 * Beside {@link RawTable} it splits what an append costs into the schema's share (the second
 * index) and the adapter's.
 */
export class RawStreamTable {
  private readonly db: Database.Database;
  private readonly insertBatch: (rows: RawStreamRow[], recordedAt: string) => void;

  constructor(file: string) {
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = FULL');
    this.db.exec(
      `CREATE TABLE raw (position INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE,
         stream TEXT NOT NULL, revision INTEGER NOT NULL, type TEXT NOT NULL,
         data TEXT NOT NULL, metadata TEXT NOT NULL, recorded_at TEXT NOT NULL,
         UNIQUE (stream, revision)) STRICT`,
    );
    const insert = this.db.prepare(
      `INSERT INTO raw (id, stream, revision, type, data, metadata, recorded_at)
       VALUES (?, ?, ?, ?, ?, ?, ?)`,
    );
    this.insertBatch = this.db.transaction((rows: RawStreamRow[], recordedAt: string) => {
      for (const { stream, revision, event } of rows) {
        insert.run(
          event.id,
          stream,
          revision,
          event.type,
          JSON.stringify(event.data),
          JSON.stringify(event.metadata),
          recordedAt,
        );
      }
    });
  }

  insertMany(rows: RawStreamRow[]): void {
    this.insertBatch(rows, new Date().toISOString());
  }

  close(): void {
    this.db.close();
  }
}
