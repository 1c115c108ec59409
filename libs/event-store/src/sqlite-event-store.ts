import Database from 'better-sqlite3';
import {
  type AppendResult,
  type EventHandler,
  type EventStore,
  EventStoreUnavailableError,
  type ExpectedRevision,
  type NewEvent,
  type Position,
  type ReadAllOptions,
  type RecordedEvent,
  START,
  type SubscribeOptions,
  type Subscription,
  WrongExpectedRevisionError,
} from './event-store.port.js';
import { parsePosition, validateAppend } from './validate-append.js';

export interface SqliteEventStoreOptions {
  /** Commit time source, so tests can fix `recordedAt`. Defaults to the system clock. */
  now?: () => Date;
  /**
   * How often a waiting subscription looks for events committed by another process on the
   * same file. Appends made through this instance wake subscribers at once. Default 250 ms.
   */
  pollIntervalMs?: number;
  /** Rows fetched per query by readAll and subscriptions. Default 1,000. */
  pageSize?: number;
  /** How long a writer waits for another process's write lock. Default 5,000 ms. */
  busyTimeoutMs?: number;
}

/**
 * An event id this store already holds in another stream. SQLite keeps event ids unique across
 * the whole store (consumers deduplicate by event id, ADR 8 and ADR 11), so this append is refused.
 */
export class DuplicateEventIdError extends Error {
  readonly code = 'DUPLICATE_EVENT_ID';
  constructor(
    readonly eventId: string,
    readonly stream: string,
    readonly existingStream: string,
  ) {
    super(
      `Event id ${eventId} is already used in stream ${existingStream}; give each new event a fresh id.`,
    );
    this.name = 'DuplicateEventIdError';
  }
}

interface EventRow {
  position: number;
  id: string;
  stream: string;
  revision: number;
  type: string;
  data: string;
  metadata: string;
  recorded_at: string;
}

interface PendingAppend {
  stream: string;
  events: NewEvent[];
  expectedRevision: ExpectedRevision;
  resolve: (result: AppendResult) => void;
  reject: (error: unknown) => void;
}

type Outcome = { ok: true; result: AppendResult } | { ok: false; error: unknown };

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS events (
    -- An alias of the rowid: assigned in commit order under SQLite's single-writer lock, never
    -- reused because events are never deleted, so readers never see a gap filled in later.
    position    INTEGER PRIMARY KEY,
    id          TEXT    NOT NULL UNIQUE,
    stream      TEXT    NOT NULL,
    revision    INTEGER NOT NULL,
    type        TEXT    NOT NULL,
    data        TEXT    NOT NULL,
    metadata    TEXT    NOT NULL,
    recorded_at TEXT    NOT NULL,
    UNIQUE (stream, revision)
  ) STRICT;
`;

/**
 * The embedded EventStore: one SQLite file in WAL mode with `synchronous=FULL`, so an
 * acknowledged append has been fsynced and survives a power cut.
 *
 * Group commit: `append` only queues its request; every request queued in the same turn of
 * the event loop is written in one transaction (one fsync). Each request is checked against
 * its own expected revision, and a batch runs inside its own savepoint (a single insert
 * needs none), so a conflict fails that request alone while the others commit.
 */
export class SqliteEventStore implements EventStore {
  private readonly db: Database.Database;
  private readonly now: () => Date;
  private readonly pollIntervalMs: number;
  private readonly pageSize: number;
  private readonly statements: ReturnType<typeof prepareStatements>;
  private readonly commitGroup: (group: PendingAppend[], recordedAt: string) => Outcome[];
  private readonly insertBatch: (
    request: PendingAppend,
    current: number | 'no_stream',
    recordedAt: string,
  ) => AppendResult;
  private queue: PendingAppend[] = [];
  private flushScheduled = false;
  private closed = false;
  /** Wakes subscriptions waiting for new events; called after each commit. */
  private readonly waiters = new Set<() => void>();
  private readonly subscriptions = new Set<SqliteSubscription>();

  constructor(filename: string, options: SqliteEventStoreOptions = {}) {
    this.now = options.now ?? (() => new Date());
    this.pollIntervalMs = options.pollIntervalMs ?? 250;
    this.pageSize = options.pageSize ?? 1000;
    this.db = new Database(filename);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = FULL');
    this.db.pragma(`busy_timeout = ${options.busyTimeoutMs ?? 5000}`);
    this.db.exec(SCHEMA);
    this.statements = prepareStatements(this.db);

    // A nested better-sqlite3 transaction is a SAVEPOINT: if one insert of a batch fails, the
    // batch's earlier inserts are rolled back and the rest of the group is untouched.
    this.insertBatch = this.db.transaction(
      (request: PendingAppend, current: number | 'no_stream', recordedAt: string) =>
        this.insertEvents(request, current, recordedAt),
    );
    const group = this.db.transaction((requests: PendingAppend[], recordedAt: string) =>
      requests.map((request): Outcome => {
        try {
          return { ok: true, result: this.appendInTransaction(request, recordedAt) };
        } catch (error) {
          return { ok: false, error };
        }
      }),
    );
    // IMMEDIATE takes the write lock up front, so another process cannot slip in between our
    // revision checks and our inserts.
    this.commitGroup = (requests, recordedAt) => group.immediate(requests, recordedAt);
  }

  append(
    stream: string,
    events: NewEvent[],
    expectedRevision: ExpectedRevision,
  ): Promise<AppendResult> {
    try {
      validateAppend(stream, events, expectedRevision);
      this.assertOpen();
    } catch (error) {
      return Promise.reject(error);
    }
    return new Promise((resolve, reject) => {
      this.queue.push({ stream, events, expectedRevision, resolve, reject });
      if (!this.flushScheduled) {
        this.flushScheduled = true;
        // setImmediate rather than a microtask: callers that await something before appending
        // still land in the same group.
        setImmediate(() => this.flush());
      }
    });
  }

  async readStream(stream: string, fromRevision = 0, maxCount = -1): Promise<RecordedEvent[]> {
    this.assertOpen();
    // SQLite reads LIMIT -1 as no limit.
    const rows = this.statements.readStream.all(stream, fromRevision, maxCount) as EventRow[];
    return rows.map(toRecordedEvent);
  }

  async *readAll(options: ReadAllOptions = {}): AsyncIterable<RecordedEvent> {
    let after = parsePosition(options.from ?? START);
    let remaining = options.maxCount ?? Infinity;
    // Paged so that a million-event history is never held in memory at once.
    while (remaining > 0) {
      this.assertOpen();
      const limit = Math.min(this.pageSize, remaining);
      const rows = this.statements.readAll.all(after, limit) as EventRow[];
      for (const row of rows) yield toRecordedEvent(row);
      if (rows.length < limit) return;
      remaining -= rows.length;
      after = BigInt(rows[rows.length - 1].position);
    }
  }

  subscribe(
    options: SubscribeOptions,
    handler: EventHandler,
    onError?: (error: unknown) => void,
  ): Subscription {
    const subscription = new SqliteSubscription(
      this,
      parsePosition(options.from ?? START),
      handler,
      onError,
      () => this.subscriptions.delete(subscription),
    );
    this.subscriptions.add(subscription);
    subscription.start();
    return subscription;
  }

  async headPosition(): Promise<Position> {
    this.assertOpen();
    const row = this.statements.head.get() as { position: number | null };
    return row.position === null ? START : String(row.position);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    // Appends already accepted are committed, not dropped.
    this.flush();
    this.closed = true;
    await Promise.all([...this.subscriptions].map((subscription) => subscription.close()));
    this.db.close();
  }

  /** @internal One page of events after `after`, for subscriptions. */
  readPage(after: bigint): RecordedEvent[] {
    this.assertOpen();
    return (this.statements.readAll.all(after, this.pageSize) as EventRow[]).map(toRecordedEvent);
  }

  /** @internal Resolves after the next commit of this instance, or after the poll interval. */
  waitForCommit(): { promise: Promise<void>; cancel: () => void } {
    let wake!: () => void;
    const promise = new Promise<void>((resolve) => {
      const timer = setTimeout(() => wake(), this.pollIntervalMs);
      // A forgotten subscription must not keep the process alive.
      timer.unref();
      wake = () => {
        clearTimeout(timer);
        this.waiters.delete(wake);
        resolve();
      };
      this.waiters.add(wake);
    });
    return { promise, cancel: wake };
  }

  private flush(): void {
    this.flushScheduled = false;
    const group = this.queue;
    this.queue = [];
    if (group.length === 0) return;
    let outcomes: Outcome[];
    try {
      // One commit time for the whole group: they share one transaction.
      outcomes = this.commitGroup(group, this.now().toISOString());
    } catch (error) {
      // The transaction as a whole failed (disk full, lock timeout, I/O error): nothing of the
      // group was committed, and every request may be retried.
      const failure = new EventStoreUnavailableError(
        `The SQLite event store could not commit: ${(error as Error).message}`,
        { cause: error },
      );
      for (const request of group) request.reject(failure);
      return;
    }
    outcomes.forEach((outcome, i) =>
      outcome.ok ? group[i].resolve(outcome.result) : group[i].reject(outcome.error),
    );
    if (outcomes.some((outcome) => outcome.ok)) {
      for (const wake of [...this.waiters]) wake();
    }
  }

  /**
   * Runs inside the group's transaction. Ids are only looked up when something is off (the
   * revision does not match, or an insert hits the unique id index), so the common path costs
   * one revision lookup and the inserts. Dedup is decided before reporting a conflict, so a
   * retry of an append that did commit (its response lost) gets the original result.
   */
  private appendInTransaction(request: PendingAppend, recordedAt: string): AppendResult {
    const { stream, expectedRevision } = request;
    const current = this.currentRevision(stream);
    if (expectedRevision !== 'any' && expectedRevision !== current) {
      return (
        this.deduplicate(request, current) ??
        throwError(new WrongExpectedRevisionError(stream, expectedRevision, current))
      );
    }
    try {
      // A failed INSERT undoes itself and leaves the transaction open (SQLite's ABORT), so a
      // single event needs no savepoint of its own; a batch does, to stay all or nothing.
      return request.events.length === 1
        ? this.insertEvents(request, current, recordedAt)
        : this.insertBatch(request, current, recordedAt);
    } catch (error) {
      if ((error as { code?: unknown }).code !== 'SQLITE_CONSTRAINT_UNIQUE') throw error;
      return this.deduplicate(request, current) ?? throwError(error);
    }
  }

  /**
   * The original result when every id of the batch is already in the stream; undefined when
   * none is anywhere. Anything in between is refused.
   */
  private deduplicate(
    request: PendingAppend,
    current: number | 'no_stream',
  ): AppendResult | undefined {
    const { stream, events, expectedRevision } = request;
    const existing = events
      .map((event) => this.statements.findById.get(event.id) as EventRow | undefined)
      .filter((row): row is EventRow => row !== undefined);
    if (existing.length === 0) return undefined;
    const elsewhere = existing.find((row) => row.stream !== stream);
    if (elsewhere) throw new DuplicateEventIdError(elsewhere.id, stream, elsewhere.stream);
    if (existing.length === events.length) {
      const last = existing.reduce((a, b) => (a.position > b.position ? a : b));
      return { revision: last.revision, position: String(last.position) };
    }
    // Decision: a batch mixing stored and new ids is refused as a conflict. Appends are atomic,
    // so such a batch can only come from a decision made on a stale view of the stream; the
    // caller reloads and decides again. EventStoreDB reports the same conflict when the
    // expected revision is stale, which is how such a batch normally arrives.
    throw new WrongExpectedRevisionError(stream, expectedRevision, current);
  }

  private insertEvents(
    { stream, events }: PendingAppend,
    current: number | 'no_stream',
    recordedAt: string,
  ): AppendResult {
    let revision = current === 'no_stream' ? -1 : current;
    let position = 0;
    for (const event of events) {
      revision += 1;
      const info = this.statements.insert.run(
        event.id,
        stream,
        revision,
        event.type,
        JSON.stringify(event.data),
        JSON.stringify(event.metadata),
        recordedAt,
      );
      position = Number(info.lastInsertRowid);
    }
    return { revision, position: String(position) };
  }

  private currentRevision(stream: string): number | 'no_stream' {
    const row = this.statements.streamRevision.get(stream) as { revision: number | null };
    return row.revision ?? 'no_stream';
  }

  private assertOpen(): void {
    if (this.closed) {
      throw new EventStoreUnavailableError('The SQLite event store is closed.');
    }
  }
}

function throwError(error: unknown): never {
  throw error;
}

function prepareStatements(db: Database.Database) {
  const columns = 'position, id, stream, revision, type, data, metadata, recorded_at';
  return {
    insert: db.prepare(
      `INSERT INTO events (id, stream, revision, type, data, metadata, recorded_at)
       VALUES (?, ?, ?, ?, ?, ?, ?)`,
    ),
    findById: db.prepare(`SELECT ${columns} FROM events WHERE id = ?`),
    streamRevision: db.prepare('SELECT MAX(revision) AS revision FROM events WHERE stream = ?'),
    readStream: db.prepare(
      `SELECT ${columns} FROM events WHERE stream = ? AND revision >= ? ORDER BY revision LIMIT ?`,
    ),
    readAll: db.prepare(
      `SELECT ${columns} FROM events WHERE position > ? ORDER BY position LIMIT ?`,
    ),
    head: db.prepare('SELECT MAX(position) AS position FROM events'),
  };
}

function toRecordedEvent(row: EventRow): RecordedEvent {
  return {
    id: row.id,
    type: row.type,
    data: JSON.parse(row.data) as RecordedEvent['data'],
    metadata: JSON.parse(row.metadata) as RecordedEvent['metadata'],
    stream: row.stream,
    revision: row.revision,
    position: String(row.position),
    recordedAt: row.recorded_at,
  };
}

/** Catch-up from `after`, then live: woken by this instance's commits, else by polling. */
class SqliteSubscription implements Subscription {
  private closed = false;
  private delivering = false;
  private cancelWait: (() => void) | undefined;
  private done: Promise<void> = Promise.resolve();

  constructor(
    private readonly store: SqliteEventStore,
    private after: bigint,
    private readonly handler: EventHandler,
    private readonly onError: ((error: unknown) => void) | undefined,
    private readonly onClosed: () => void,
  ) {}

  start(): void {
    this.done = this.run().finally(() => this.onClosed());
  }

  async close(): Promise<void> {
    this.closed = true;
    this.cancelWait?.();
    // Closing from inside the handler must not wait for the loop that is waiting for it.
    if (!this.delivering) await this.done;
  }

  private async run(): Promise<void> {
    try {
      while (!this.closed) {
        const page = this.store.readPage(this.after);
        for (const event of page) {
          if (this.closed) return;
          this.delivering = true;
          try {
            await this.handler(event);
          } finally {
            this.delivering = false;
          }
          this.after = BigInt(event.position);
        }
        if (page.length === 0 && !this.closed) {
          const wait = this.store.waitForCommit();
          this.cancelWait = wait.cancel;
          await wait.promise;
          this.cancelWait = undefined;
        }
      }
    } catch (error) {
      this.closed = true;
      this.onError?.(error);
    }
  }
}
