/**
 * The EventStore port: what the command side and the subscribers need from an event store.
 * Adapters: sqlite (embedded default) and eventstoredb (production). Both pass one contract
 * suite (test/contracts/event-store.contract.ts).
 *
 * Positions are decimal strings outside the adapters (EventStoreDB positions are bigint).
 * A position names the place of one event in the global order; `START` is before the first.
 * Reading or subscribing "from" a position is exclusive: the event at that position is not
 * delivered again.
 */

export type Position = string;
export const START: Position = '0';

/** Who issued the command that produced an event (R32). */
export interface EventActor {
  type: 'user' | 'support' | 'auditor' | 'api_key' | 'system';
  id: string;
}

/** Metadata stored beside every event (R32); the store adds stream, revision, position, time. */
export interface EventMetadata {
  organizationId: string;
  schemaVersion: number;
  actor: EventActor;
  correlationId: string;
  causationId: string;
  /**
   * Set on the events of a command sent with an `Idempotency-Key` (R37): the key hashed with
   * its caller, and the request's fingerprint. Internal: never published.
   */
  idempotency?: { key: string; fingerprint: string };
  /**
   * W3C Trace Context of the span the command ran in, set only when tracing is on (OTEL_*):
   * published as the CloudEvents distributed-tracing extension (`ce_traceparent`).
   */
  traceparent?: string;
  tracestate?: string;
}

export interface NewEvent {
  /** A UUID. Appending an event whose id the stream already holds appends nothing (dedup). */
  id: string;
  type: string;
  data: Record<string, unknown>;
  metadata: EventMetadata;
}

export interface RecordedEvent extends NewEvent {
  stream: string;
  /** 0-based position of the event in its stream. */
  revision: number;
  position: Position;
  /** ISO-8601 time the store recorded the event. */
  recordedAt: string;
}

/**
 * The revision the stream must be at for an append to succeed: the revision of its last
 * event, `'no_stream'` when it must not exist yet, or `'any'` to skip the check.
 */
export type ExpectedRevision = number | 'no_stream' | 'any';

export interface AppendResult {
  /** Revision of the last event of the stream after the append. */
  revision: number;
  /** Global position of the last event appended (or of the deduplicated original). */
  position: Position;
}

export interface ReadAllOptions {
  /** Exclusive. Defaults to START. */
  from?: Position;
  /** Stop after this many events. */
  maxCount?: number;
}

export interface Subscription {
  close(): Promise<void>;
}

export interface SubscribeOptions {
  /** Exclusive. Defaults to START. */
  from?: Position;
}

/**
 * Called once per event, in global order. The next event is not delivered until the returned
 * promise settles; if it rejects, the subscription stops and `onError` is called.
 */
export type EventHandler = (event: RecordedEvent) => void | Promise<void>;

export interface EventStore {
  /**
   * Appends atomically to one stream. Throws `WrongExpectedRevisionError` when the stream is not
   * at `expectedRevision`. Events whose ids the stream already holds are not appended again: if
   * every event of the batch is already there, the call succeeds and returns the original result.
   */
  append(
    stream: string,
    events: NewEvent[],
    expectedRevision: ExpectedRevision,
  ): Promise<AppendResult>;

  /**
   * The events of a stream from `fromRevision` (inclusive, default 0), at most `maxCount` of
   * them (default all); [] for an unknown stream.
   */
  readStream(stream: string, fromRevision?: number, maxCount?: number): Promise<RecordedEvent[]>;

  /** Events of every stream in global order. */
  readAll(options?: ReadAllOptions): AsyncIterable<RecordedEvent>;

  /** Catch-up from `from`, then live. */
  subscribe(
    options: SubscribeOptions,
    handler: EventHandler,
    onError?: (error: unknown) => void,
  ): Subscription;

  /** Position of the last event in the store, or START when empty. */
  headPosition(): Promise<Position>;

  close(): Promise<void>;
}

export class WrongExpectedRevisionError extends Error {
  readonly code = 'WRONG_EXPECTED_REVISION';
  constructor(
    readonly stream: string,
    readonly expected: ExpectedRevision,
    readonly actual: number | 'no_stream',
  ) {
    super(
      `Stream ${stream} is at revision ${String(actual)}, not ${String(expected)}: reload and decide again.`,
    );
    this.name = 'WrongExpectedRevisionError';
  }
}

/** The store could not be reached or failed; the operation may be retried. */
export class EventStoreUnavailableError extends Error {
  readonly code = 'EVENT_STORE_UNAVAILABLE';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'EventStoreUnavailableError';
  }
}

/** Compares two positions numerically. */
export function comparePositions(a: Position, b: Position): number {
  const x = BigInt(a);
  const y = BigInt(b);
  return x < y ? -1 : x > y ? 1 : 0;
}
