import {
  type AnyBulkWriteOperation,
  type Collection,
  type Db,
  type Filter as MongoFilter,
  MongoClient,
  MongoClientClosedError,
  MongoNetworkError,
  MongoNotConnectedError,
  MongoServerError,
  MongoServerSelectionError,
  MongoTopologyClosedError,
  WriteConcern,
} from 'mongodb';
import { type Position, START } from '#libs/event-store';
import type {
  CollectionIndexes,
  Document,
  DocumentChange,
  DocumentStore,
  Filter,
  FindOptions,
} from '../document-store.port.js';
import { DocumentStoreUnavailableError, DocumentStoreUsageError } from './document-store.errors.js';
import { Catalog, CHECKPOINTS, checkCheckpointName } from './document-store.validation.js';

export interface MongoDocumentStoreOptions {
  /** Defaults to the database named in the URL (the driver's own default when it names none). */
  databaseName?: string;
  /**
   * How long an operation waits for a usable server before failing with
   * DocumentStoreUnavailableError. Unset: the URL's `serverSelectionTimeoutMS`, else the
   * driver's 30 s.
   */
  serverSelectionTimeoutMS?: number;
}

interface CheckpointDocument {
  _id: string;
  position: Position;
}

/** MongoDB's IllegalOperation: what a standalone server answers to a transaction. */
const ILLEGAL_OPERATION = 20;
/** NamespaceExists: another process created the collection first. */
const NAMESPACE_EXISTS = 48;

/**
 * Majority-acknowledged and journaled: a checkpoint is only moved once the work for it survives
 * the loss of the primary (ADR 10: persist a checkpoint only after the work is durable).
 */
const DURABLE = new WriteConcern('majority', undefined, true);

/**
 * The production DocumentStore on MongoDB (driver 7): one collection per read model and a
 * `_checkpoints` collection, in one database. A thin mapping; the server does the work.
 *
 * - `apply` runs in `session.withTransaction` (MongoDB transactions need a replica set; docker
 *   compose runs a one-node one): the changes and the checkpoints commit together or not at
 *   all. The callback may be run again after a transient error; it only replays the same
 *   idempotent writes, and it never swallows an error (the driver's documented requirement).
 * - Indexes, created on first use: `{ field: 1, _id: 1 }` per declared field. With `_id` as the
 *   second key, an equality filter on the field reads its matches already in `_id` order, so a
 *   page (`_id > after`, sorted by `_id`, limited) stops after `limit` entries instead of
 *   sorting the whole slice in memory.
 * - Filters are equality on scalars, which MongoDB also matches against array elements; the
 *   port only filters top-level scalar fields, where the two agree. `{ field: null }` matches a
 *   missing field here as in the other adapters.
 * - Documents were normalised to plain JSON (Catalog) before they reach the driver, so BSON
 *   stores what SQLite and memory store; results are fresh objects from the driver.
 */
export class MongoDocumentStore implements DocumentStore {
  private readonly catalog: Catalog;
  private readonly client: MongoClient;
  private readonly db: Db;
  private initialising: Promise<void> | undefined;
  private closed = false;

  constructor(url: string, indexes: CollectionIndexes, options: MongoDocumentStoreOptions = {}) {
    this.catalog = new Catalog(indexes);
    try {
      // Constructing connects nothing; the first operation does (see `ready`).
      this.client = new MongoClient(url, {
        ...(options.serverSelectionTimeoutMS === undefined
          ? {}
          : { serverSelectionTimeoutMS: options.serverSelectionTimeoutMS }),
      });
    } catch (error) {
      // Only parsing happens here (the connection string, or its options); the parse errors
      // come from the driver and from mongodb-connection-string-url, which share no class.
      throw new DocumentStoreUnavailableError(
        `MONGO_URL is not a usable MongoDB connection string: ${(error as Error).message}`,
        { cause: error },
      );
    }
    this.db = this.client.db(options.databaseName);
  }

  /**
   * Connects, checks that the server can run transactions, and creates the collections and
   * their indexes. Idempotent; every operation awaits it, so calling it is optional (it lets a
   * service fail at start rather than at its first request). A failure is retried on next use.
   */
  init(): Promise<void> {
    this.initialising ??= this.initialise().catch((error: unknown) => {
      this.initialising = undefined;
      throw toStoreError(error);
    });
    return this.initialising;
  }

  async apply(
    changes: readonly DocumentChange[],
    checkpoints: readonly string[],
    position: Position,
  ): Promise<void> {
    const checked = this.catalog.checkApply(changes, checkpoints, position, false);
    if (checked.length === 0 && checkpoints.length === 0) return;
    await this.ready();
    const writes = groupWrites(checked);
    const checkpointWrites = checkpoints.map((name): AnyBulkWriteOperation<CheckpointDocument> => ({
      updateOne: { filter: { _id: name }, update: { $set: { position } }, upsert: true },
    }));
    try {
      await this.client.withSession((session) =>
        session.withTransaction(
          async () => {
            // One ordered bulk write per collection keeps each collection's changes in order
            // (changes to different collections do not interact), in one round trip each.
            // Sequential: a session runs one operation at a time.
            for (const [collection, operations] of writes) {
              await this.collection(collection).bulkWrite(operations, { session, ordered: true });
            }
            if (checkpointWrites.length > 0) {
              await this.checkpoints().bulkWrite(checkpointWrites, { session, ordered: true });
            }
          },
          { writeConcern: DURABLE },
        ),
      );
    } catch (error) {
      throw toStoreError(error);
    }
  }

  async checkpoint(name: string): Promise<Position> {
    checkCheckpointName(name);
    await this.ready();
    try {
      const found = await this.checkpoints().findOne({ _id: name });
      return found?.position ?? START;
    } catch (error) {
      throw toStoreError(error);
    }
  }

  async get(collection: string, id: string): Promise<Document | undefined> {
    this.catalog.fields(collection);
    await this.ready();
    try {
      return (await this.collection(collection).findOne({ _id: id })) ?? undefined;
    } catch (error) {
      throw toStoreError(error);
    }
  }

  async find(collection: string, filter: Filter, options: FindOptions): Promise<Document[]> {
    this.catalog.checkFind(collection, filter, options);
    // MongoDB reads limit 0 as "no limit".
    if (options.limit === 0) return [];
    await this.ready();
    try {
      return await this.collection(collection)
        .find(toQuery(filter, options.after), { sort: { _id: 1 }, limit: options.limit })
        .toArray();
    } catch (error) {
      throw toStoreError(error);
    }
  }

  /** A cursor sorted by `_id`: the driver fetches a batch at a time, so memory stays flat. */
  async *scan(collection: string, filter: Filter): AsyncIterable<Document> {
    this.catalog.checkFilter(collection, filter);
    await this.ready();
    const cursor = this.collection(collection).find(toQuery(filter, undefined), {
      sort: { _id: 1 },
    });
    try {
      for await (const document of cursor) yield document;
    } catch (error) {
      throw toStoreError(error);
    } finally {
      // Also reached when the consumer stops early, so the server-side cursor is released.
      await cursor.close();
    }
  }

  /**
   * Not one transaction: emptying a large collection could exceed a transaction's limits. The
   * checkpoints go first, so a reset interrupted half-way leaves no checkpoint claiming work
   * that is no longer there; the rebuild that follows starts from START and resets again.
   */
  async reset(collections: readonly string[], checkpoints: readonly string[]): Promise<void> {
    this.catalog.checkReset(collections, checkpoints);
    await this.ready();
    try {
      if (checkpoints.length > 0) {
        await this.checkpoints().deleteMany(
          { _id: { $in: [...checkpoints] } },
          { writeConcern: DURABLE },
        );
      }
      for (const collection of collections) {
        await this.collection(collection).deleteMany({}, { writeConcern: DURABLE });
      }
    } catch (error) {
      throw toStoreError(error);
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.client.close();
  }

  private async ready(): Promise<void> {
    if (this.closed)
      throw new DocumentStoreUnavailableError('The MongoDB document store is closed.');
    await this.init();
  }

  private async initialise(): Promise<void> {
    await this.client.connect();
    const hello = await this.db.admin().command({ hello: 1 });
    // A replica-set member names its set; mongos answers "isdbgrid". Anything else is a
    // standalone server, where every apply would fail: say so now, and how to fix it.
    if (typeof hello.setName !== 'string' && hello.msg !== 'isdbgrid') {
      throw new DocumentStoreUnavailableError(
        'MongoDB must run as a replica set (the document store applies changes in transactions): start mongod with --replSet and run rs.initiate(), as docker-compose.yml does.',
      );
    }
    // Collections are created up front so that no transaction has to create one.
    const existing = new Set(
      (await this.db.listCollections({}, { nameOnly: true }).toArray()).map(({ name }) => name),
    );
    for (const name of [...this.catalog.collections.keys(), CHECKPOINTS]) {
      if (existing.has(name)) continue;
      try {
        await this.db.createCollection(name);
      } catch (error) {
        if (!(error instanceof MongoServerError && error.code === NAMESPACE_EXISTS)) throw error;
      }
    }
    for (const [name, fields] of this.catalog.collections) {
      if (fields.length === 0) continue;
      // Creating an index that exists with the same keys and name does nothing.
      await this.collection(name).createIndexes(
        fields.map((field) => ({ key: { [field]: 1, _id: 1 }, name: `${field}_1__id_1` })),
      );
    }
  }

  private collection(name: string): Collection<Document> {
    return this.db.collection<Document>(name);
  }

  private checkpoints(): Collection<CheckpointDocument> {
    return this.db.collection<CheckpointDocument>(CHECKPOINTS);
  }
}

/** Each collection's writes, in the order the changes gave them. */
function groupWrites(
  changes: readonly DocumentChange[],
): Map<string, AnyBulkWriteOperation<Document>[]> {
  const writes = new Map<string, AnyBulkWriteOperation<Document>[]>();
  const writesOf = (collection: string) => {
    let operations = writes.get(collection);
    if (operations === undefined) {
      operations = [];
      writes.set(collection, operations);
    }
    return operations;
  };
  for (const change of changes) {
    const operations = writesOf(change.collection);
    switch (change.type) {
      case 'put':
        operations.push(putWrite(change.document));
        break;
      case 'delete':
        operations.push({ deleteOne: { filter: { _id: change.id } } });
        break;
      case 'replaceWhere':
        operations.push({ deleteMany: { filter: toQuery(change.filter, undefined) } });
        // Upserts, not inserts: a document of the new slice whose id is held outside the old
        // slice replaces it, as a put does, instead of failing on a duplicate key.
        for (const document of change.documents) operations.push(putWrite(document));
        break;
    }
  }
  return writes;
}

function putWrite(document: Document): AnyBulkWriteOperation<Document> {
  // The upsert takes `_id` from the filter; the replacement leaves it out, as the API asks.
  const { _id, ...replacement } = document;
  return { replaceOne: { filter: { _id }, replacement, upsert: true } };
}

/**
 * The filter as a MongoDB query. Keys are plain identifiers and values scalars (Catalog), so
 * nothing here can become a query operator.
 */
function toQuery(filter: Filter, after: string | undefined): MongoFilter<Document> {
  const query: Record<string, unknown> = { ...filter };
  if (after !== undefined) {
    query._id = '_id' in filter ? { $eq: filter._id, $gt: after } : { $gt: after };
  }
  return query as MongoFilter<Document>;
}

/** Connection and topology failures become DocumentStoreUnavailableError, naming the fix. */
function toStoreError(error: unknown): unknown {
  if (error instanceof DocumentStoreUnavailableError || error instanceof DocumentStoreUsageError) {
    return error;
  }
  if (
    error instanceof MongoServerSelectionError ||
    error instanceof MongoNetworkError ||
    error instanceof MongoNotConnectedError ||
    error instanceof MongoTopologyClosedError ||
    error instanceof MongoClientClosedError
  ) {
    return new DocumentStoreUnavailableError(
      `MongoDB is unreachable (${error.message}); check MONGO_URL and that the server is up.`,
      { cause: error },
    );
  }
  if (error instanceof MongoServerError && error.code === ILLEGAL_OPERATION) {
    return new DocumentStoreUnavailableError(
      `MongoDB refused a transaction (${error.message}); it must run as a replica set.`,
      { cause: error },
    );
  }
  return error;
}
