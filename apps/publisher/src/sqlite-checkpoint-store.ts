import Database from 'better-sqlite3';
import type { Position } from '#libs/event-store';
import type { CheckpointStore } from './checkpoint-store.js';

/**
 * Checkpoints in a small SQLite file of their own in the data directory (fsync on commit), so
 * a restarted relay resumes after the last batch the broker acknowledged.
 */
export class SqliteCheckpointStore implements CheckpointStore {
  private readonly db: Database.Database;
  private readonly get: Database.Statement;
  private readonly put: Database.Statement;

  constructor(filename: string) {
    this.db = new Database(filename);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = FULL');
    this.db.exec(`CREATE TABLE IF NOT EXISTS checkpoints (
      name TEXT PRIMARY KEY, position TEXT NOT NULL, updated_at TEXT NOT NULL) STRICT`);
    this.get = this.db.prepare('SELECT position FROM checkpoints WHERE name = ?');
    this.put = this.db.prepare(
      `INSERT INTO checkpoints (name, position, updated_at) VALUES (?, ?, ?)
       ON CONFLICT (name) DO UPDATE SET position = excluded.position, updated_at = excluded.updated_at`,
    );
  }

  async load(name: string): Promise<Position | undefined> {
    return (this.get.get(name) as { position: string } | undefined)?.position;
  }

  async save(name: string, position: Position): Promise<void> {
    this.put.run(name, position, new Date().toISOString());
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }
}
