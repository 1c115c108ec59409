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
