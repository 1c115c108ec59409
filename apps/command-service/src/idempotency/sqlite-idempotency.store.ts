import Database from 'better-sqlite3';
import type { IdempotencyStore, IdempotentResponse } from './idempotency.store.js';

/**
 * Remembered responses in a SQLite file of their own, next to the event store's: they are
 * not domain history, so they stay out of the event stream and expire after a TTL.
 */
export class SqliteIdempotencyStore implements IdempotencyStore {
  private readonly db: Database.Database;
  private readonly select: Database.Statement<[string, number], { response: string }>;
  private readonly upsert: Database.Statement<[string, string, number]>;
  private readonly purge: Database.Statement<[number]>;

  constructor(
    file: string,
    private readonly ttlMs: number,
    private readonly now: () => number = Date.now,
  ) {
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    this.db.exec(
      'CREATE TABLE IF NOT EXISTS idempotent_responses (scope TEXT PRIMARY KEY, response TEXT NOT NULL, stored_at INTEGER NOT NULL)',
    );
    this.select = this.db.prepare(
      'SELECT response FROM idempotent_responses WHERE scope = ? AND stored_at >= ?',
    );
    this.upsert = this.db.prepare(
      'INSERT OR REPLACE INTO idempotent_responses (scope, response, stored_at) VALUES (?, ?, ?)',
    );
    this.purge = this.db.prepare('DELETE FROM idempotent_responses WHERE stored_at < ?');
    this.purge.run(this.now() - ttlMs);
  }

  async get(scope: string): Promise<IdempotentResponse | undefined> {
    const row = this.select.get(scope, this.now() - this.ttlMs);
    return row ? (JSON.parse(row.response) as IdempotentResponse) : undefined;
  }

  async put(scope: string, response: IdempotentResponse): Promise<void> {
    this.upsert.run(scope, JSON.stringify(response), response.storedAt);
  }

  async close(): Promise<void> {
    this.db.close();
  }
}
