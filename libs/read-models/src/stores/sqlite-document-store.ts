import Database from 'better-sqlite3';
import { type Position, START } from '#libs/event-store';
import type {
  CollectionIndexes,
  Document,
  DocumentChange,
  DocumentStore,
  Filter,
  FindOptions,
} from '../document-store.port.js';
import { DocumentStoreUnavailableError } from './document-store.errors.js';
import { Catalog, CHECKPOINTS, checkCheckpointName } from './document-store.validation.js';

export interface SqliteDocumentStoreOptions {
  /** How long a writer waits for another process's write lock. Default 5,000 ms. */
  busyTimeoutMs?: number;
  /** Rows `scan` reads per query. Default 500. */
  scanPageSize?: number;
}

interface CollectionStatements {
  get: Database.Statement<[string], { doc: string }>;
  put: Database.Statement<[string, string]>;
  delete: Database.Statement<[string]>;
  clear: Database.Statement<[]>;
}

/** A change with its documents already serialised, so the transaction only runs statements. */
type PreparedChange =
  | { type: 'put'; collection: string; id: string; json: string }
  | { type: 'delete'; collection: string; id: string }
  | { type: 'replaceWhere'; collection: string; filter: Filter; rows: [string, string][] };

/**
 * A persistent embedded DocumentStore: one SQLite file (WAL, `synchronous=FULL`, so a committed
 * `apply` has been fsynced), one table per collection holding each document as JSON.
 *
 * Indexes are expression indexes on `coalesce(doc -> '$.field', 'null')`: the field's JSON
 * text, which keeps types apart (`"1"`, `1` and `true` differ, as in MongoDB) and turns a
 * missing field into `null` (MongoDB's `{field: null}` matches a missing field too). A filter
 * binds `JSON.stringify(value)` against the same expression. Documents are written by
 * JSON.stringify, whose number and string forms SQLite's `->` returns verbatim, so equal values
 * compare equal. Being expressions, not columns, they need no migration when a field is
 * declared later: the next open creates the index.
 *
 * Each `apply` is one IMMEDIATE transaction holding the changes and the checkpoints: after a
 * crash (SIGKILL included) either all of it is in the file or none.
 */
/** Documents kept parsed (ParsedDocuments): as many again may linger in the older half. */
const PARSED_CAPACITY = 50_000;

/**
 * Documents parsed from their stored JSON, frozen deeply, and handed out again for as long as
 * the row's text is the same (compared, never assumed: no write has to invalidate anything).
 * A read of a page then costs the query and a string comparison per row, not a parse, and the
 * same document is the same object from read to read, so the HTTP layer serialises it from
 * the JSON it cached for it (ADR 23). Two generations: the older is dropped whole when the
 * newer fills, so what is read keeps its place.
 */
class ParsedDocuments {
  private recent = new Map<string, { text: string; document: Document }>();
  private older = new Map<string, { text: string; document: Document }>();

  constructor(private readonly capacity: number) {}

  of(collection: string, id: string, text: string): Document {
    const key = `${collection}\u0000${id}`;
    let entry = this.recent.get(key);
    if (entry === undefined) {
      entry = this.older.get(key);
      if (entry !== undefined) this.keep(key, entry);
    }
    if (entry?.text === text) return entry.document;
    const document = deepFreeze(JSON.parse(text) as Document);
    this.keep(key, { text, document });
    return document;
  }

  private keep(key: string, entry: { text: string; document: Document }): void {
    if (this.recent.size >= this.capacity) {
      this.older = this.recent;
      this.recent = new Map();
    }
    this.recent.set(key, entry);
  }
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const item of Object.values(value)) deepFreeze(item);
    Object.freeze(value);
  }
  return value;
}

export class SqliteDocumentStore implements DocumentStore {
  private readonly db: Database.Database;
  private readonly catalog: Catalog;
  private readonly scanPageSize: number;
  private readonly statements = new Map<string, CollectionStatements>();
  /** Filter statements, prepared on first use: one per collection and set of filtered fields. */
  private readonly filterStatements = new Map<string, Database.Statement>();
  private readonly getCheckpoint: Database.Statement<[string], { position: string }>;
  private readonly putCheckpoint: Database.Statement<[string, string]>;
  private readonly deleteCheckpoint: Database.Statement<[string]>;
  private readonly applyTransaction: (
    changes: PreparedChange[],
    checkpoints: readonly string[],
    position: Position,
  ) => void;
  private readonly resetTransaction: (
    collections: readonly string[],
    checkpoints: readonly string[],
  ) => void;
  private closed = false;
  private readonly parsed = new ParsedDocuments(PARSED_CAPACITY);

  constructor(
    filename: string,
    indexes: CollectionIndexes,
    options: SqliteDocumentStoreOptions = {},
  ) {
    this.catalog = new Catalog(indexes);
    this.scanPageSize = options.scanPageSize ?? 500;
    this.db = new Database(filename);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = FULL');
    this.db.pragma(`busy_timeout = ${options.busyTimeoutMs ?? 5000}`);

    this.db.exec(
      `CREATE TABLE IF NOT EXISTS ${CHECKPOINTS} (
         name     TEXT PRIMARY KEY NOT NULL,
         position TEXT NOT NULL
       ) STRICT, WITHOUT ROWID`,
    );
    for (const [collection, fields] of this.catalog.collections) {
      const table = quote(collection);
      // WITHOUT ROWID: rows live in the primary key's B-tree, in `_id` order, which is the order
      // every read returns.
      this.db.exec(
        `CREATE TABLE IF NOT EXISTS ${table} (
           _id TEXT PRIMARY KEY NOT NULL,
           doc TEXT NOT NULL
         ) STRICT, WITHOUT ROWID`,
      );
      for (const field of fields) {
        // Index entries carry the primary key, so `key = ? AND _id > ? ORDER BY _id LIMIT ?` is
        // one range scan of the index, no sort.
        this.db.exec(
          `CREATE INDEX IF NOT EXISTS ${quote(`${collection}__${field}`)}
             ON ${table} (${fieldKey(field)})`,
        );
      }
      this.statements.set(collection, {
        get: this.db.prepare(`SELECT doc FROM ${table} WHERE _id = ?`),
        put: this.db.prepare(
          `INSERT INTO ${table} (_id, doc) VALUES (?, ?)
           ON CONFLICT (_id) DO UPDATE SET doc = excluded.doc`,
        ),
        delete: this.db.prepare(`DELETE FROM ${table} WHERE _id = ?`),
        clear: this.db.prepare(`DELETE FROM ${table}`),
      });
    }
    this.getCheckpoint = this.db.prepare(`SELECT position FROM ${CHECKPOINTS} WHERE name = ?`);
    this.putCheckpoint = this.db.prepare(
      `INSERT INTO ${CHECKPOINTS} (name, position) VALUES (?, ?)
       ON CONFLICT (name) DO UPDATE SET position = excluded.position`,
    );
    this.deleteCheckpoint = this.db.prepare(`DELETE FROM ${CHECKPOINTS} WHERE name = ?`);

    const apply = this.db.transaction(
      (changes: PreparedChange[], checkpoints: readonly string[], position: Position) => {
        for (const change of changes) this.applyChange(change);
        for (const name of checkpoints) this.putCheckpoint.run(name, position);
      },
    );
    // IMMEDIATE takes the write lock up front, so another process cannot write between our
    // statements' reads (replaceWhere's delete) and writes.
    this.applyTransaction = (changes, checkpoints, position) =>
      apply.immediate(changes, checkpoints, position);
    const reset = this.db.transaction(
      (collections: readonly string[], checkpoints: readonly string[]) => {
        for (const name of checkpoints) this.deleteCheckpoint.run(name);
        for (const collection of collections) this.statements.get(collection)!.clear.run();
      },
    );
    this.resetTransaction = (collections, checkpoints) => reset.immediate(collections, checkpoints);
  }

  async apply(
    changes: readonly DocumentChange[],
    checkpoints: readonly string[],
    position: Position,
  ): Promise<void> {
    this.assertOpen();
    // Validated and serialised before the transaction opens: a document that cannot be stored
    // fails the call with nothing begun.
    const prepared = this.catalog
      .checkApply(changes, checkpoints, position, false)
      .map(prepareChange);
    if (prepared.length === 0 && checkpoints.length === 0) return;
    try {
      this.applyTransaction(prepared, checkpoints, position);
    } catch (error) {
      // better-sqlite3 has rolled the transaction back before rethrowing.
      throw new DocumentStoreUnavailableError(
        `The SQLite document store could not commit; nothing was applied: ${(error as Error).message}`,
        { cause: error },
      );
    }
  }

  async checkpoint(name: string): Promise<Position> {
    this.assertOpen();
    checkCheckpointName(name);
    return this.getCheckpoint.get(name)?.position ?? START;
  }

  async get(collection: string, id: string): Promise<Document | undefined> {
    this.assertOpen();
    this.catalog.fields(collection);
    const row = this.statements.get(collection)!.get.get(id);
    return row === undefined ? undefined : this.parsed.of(collection, id, row.doc);
  }

  async find(collection: string, filter: Filter, options: FindOptions): Promise<Document[]> {
    this.assertOpen();
    this.catalog.checkFind(collection, filter, options);
    if (options.limit === 0) return [];
    return this.page(collection, filter, options.after, options.limit);
  }

  /**
   * Pages through the matches with the `_id` cursor rather than holding one `.iterate()` open:
   * better-sqlite3 refuses every other statement on a connection while an iterator is open
   * ("This database connection is busy executing a query"), so a slow consumer of a scan (an
   * export streamed to a client) would stop the projector's writes. Memory stays flat (one
   * page); documents changed during the scan are seen as they are when their page is read,
   * each `_id` at most once, in order.
   */
  async *scan(collection: string, filter: Filter): AsyncIterable<Document> {
    this.assertOpen();
    this.catalog.checkFilter(collection, filter);
    let after: string | undefined;
    for (;;) {
      this.assertOpen();
      const page = this.page(collection, filter, after, this.scanPageSize);
      yield* page;
      if (page.length < this.scanPageSize) return;
      after = page[page.length - 1]._id;
    }
  }

  async reset(collections: readonly string[], checkpoints: readonly string[]): Promise<void> {
    this.assertOpen();
    this.catalog.checkReset(collections, checkpoints);
    try {
      this.resetTransaction(collections, checkpoints);
    } catch (error) {
      throw new DocumentStoreUnavailableError(
        `The SQLite document store could not reset; nothing was removed: ${(error as Error).message}`,
        { cause: error },
      );
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.db.close();
  }

  private page(
    collection: string,
    filter: Filter,
    after: string | undefined,
    limit: number,
  ): Document[] {
    const { sql, parameters } = whereClause(filter);
    const cursor = after === undefined ? '' : `${sql ? ' AND' : ' WHERE'} _id > ?`;
    const statement = this.filterStatement(
      `select|${collection}|${sql}|${cursor}`,
      `SELECT _id, doc FROM ${quote(collection)}${sql}${cursor} ORDER BY _id LIMIT ?`,
    );
    const rows = statement.all(...parameters, ...(after === undefined ? [] : [after]), limit) as {
      _id: string;
      doc: string;
    }[];
    return rows.map((row) => this.parsed.of(collection, row._id, row.doc));
  }

  private applyChange(change: PreparedChange): void {
    const statements = this.statements.get(change.collection)!;
    switch (change.type) {
      case 'put':
        statements.put.run(change.id, change.json);
        break;
      case 'delete':
        statements.delete.run(change.id);
        break;
      case 'replaceWhere': {
        const { sql, parameters } = whereClause(change.filter);
        this.filterStatement(
          `delete|${change.collection}|${sql}`,
          `DELETE FROM ${quote(change.collection)}${sql}`,
        ).run(...parameters);
        for (const [id, json] of change.rows) statements.put.run(id, json);
        break;
      }
    }
  }

  private filterStatement(key: string, sql: string): Database.Statement {
    let statement = this.filterStatements.get(key);
    if (statement === undefined) {
      statement = this.db.prepare(sql);
      this.filterStatements.set(key, statement);
    }
    return statement;
  }

  private assertOpen(): void {
    if (this.closed) {
      throw new DocumentStoreUnavailableError('The SQLite document store is closed.');
    }
  }
}

function prepareChange(change: DocumentChange): PreparedChange {
  switch (change.type) {
    case 'put':
      return {
        type: 'put',
        collection: change.collection,
        id: change.document._id,
        json: JSON.stringify(change.document),
      };
    case 'delete':
      return change;
    case 'replaceWhere':
      return {
        type: 'replaceWhere',
        collection: change.collection,
        filter: change.filter,
        rows: change.documents.map((document) => [document._id, JSON.stringify(document)]),
      };
  }
}

/**
 * The SQL of a filter, fields in a fixed order so that equal filters share one prepared
 * statement. Field names were checked to be plain identifiers (Catalog), so they can sit in the
 * SQL text, which they must for SQLite to match the expression indexes.
 */
function whereClause(filter: Filter): { sql: string; parameters: string[] } {
  const fields = Object.keys(filter).sort();
  if (fields.length === 0) return { sql: '', parameters: [] };
  const conditions = fields.map((field) =>
    field === '_id' ? '_id = ?' : `${fieldKey(field)} = ?`,
  );
  // `_id` was checked to be a string (Catalog); every other field compares as JSON text.
  const parameters = fields.map((field) =>
    field === '_id' ? (filter[field] as string) : JSON.stringify(filter[field]),
  );
  return { sql: ` WHERE ${conditions.join(' AND ')}`, parameters };
}

/** The indexed expression of a field; must be written identically in indexes and queries. */
function fieldKey(field: string): string {
  return `coalesce(doc -> '$.${field}', 'null')`;
}

function quote(identifier: string): string {
  return `"${identifier}"`;
}
