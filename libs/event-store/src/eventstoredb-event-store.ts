import {
  type AllStreamResolvedEvent,
  ANY,
  type AppendExpectedRevision,
  BACKWARDS,
  END,
  EventStoreDBClient,
  excludeSystemEvents,
  FORWARDS,
  jsonEvent,
  NO_STREAM,
  type Position as EsdbPosition,
  type ReadPosition,
  type ResolvedEvent,
  START as ESDB_START,
  StreamNotFoundError,
  UnavailableError,
  DeadlineExceededError,
  WrongExpectedVersionError,
} from '@eventstore/db-client';
import {
  type AppendResult,
  type EventHandler,
  type EventMetadata,
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

/** gRPC status UNAVAILABLE: what appendToStream throws, unwrapped, when the server is down. */
const GRPC_UNAVAILABLE = 14;

/**
 * The production EventStore on EventStoreDB (gRPC client 6.x). A thin mapping; the server does
 * the work: optimistic concurrency, idempotent appends by event id, $all ordering.
 *
 * Positions. An event in $all has a {commit, prepare} position. Every append through the gRPC
 * API is an implicit transaction whose prepares are self-committed, and for those the server
 * reports commit == prepare == the event's own log position, unique per event. So the port's
 * position is the commit position as a decimal string, and a port position p maps back to
 * {commit: p, prepare: p}. (Explicit multi-append transactions, a TCP-only feature, would share
 * a commit position; nothing here writes them.)
 *
 * Dedup. The server recognises a batch whose ids were already written right after the
 * expected revision (an exact retry) and answers with the original revision, without writing
 * again; a batch that only partly matches is a wrong expected version. Unlike the SQLite
 * adapter it does not check ids outside that window: a reused id at the current revision is
 * written again, and ids are unique per stream, not store-wide. Commands mint fresh ids per
 * decision, so only retries matter, and those the server covers.
 */
export class EventStoreDbEventStore implements EventStore {
  private readonly client: EventStoreDBClient;
  private readonly subscriptions = new Set<Subscription>();

  constructor(connectionString: string) {
    this.client = EventStoreDBClient.connectionString(connectionString);
  }

  async append(
    stream: string,
    events: NewEvent[],
    expectedRevision: ExpectedRevision,
  ): Promise<AppendResult> {
    validateAppend(stream, events, expectedRevision);
    try {
      const result = await this.client.appendToStream(
        stream,
        events.map((event) =>
          jsonEvent({
            id: event.id,
            type: event.type,
            data: event.data,
            metadata: event.metadata as unknown as Record<string, unknown>,
          }),
        ),
        { expectedRevision: toEsdbExpectedRevision(expectedRevision) },
      );
      // Only when the connection string sets throwOnAppendFailure=false.
      if (!result.success) {
        const actual =
          result.nextExpectedRevision < 0n ? 'no_stream' : Number(result.nextExpectedRevision);
        throw new WrongExpectedRevisionError(stream, expectedRevision, actual);
      }
      const revision = Number(result.nextExpectedRevision);
      // The server omits the position when it recognised the batch as already written
      // (idempotent append): read it from the last event instead.
      const position = result.position
        ? result.position.commit.toString()
        : await this.positionOf(stream, revision);
      return { revision, position };
    } catch (error) {
      throw mapError(error, stream, expectedRevision);
    }
  }

  async readStream(stream: string, fromRevision = 0, maxCount?: number): Promise<RecordedEvent[]> {
    const events: RecordedEvent[] = [];
    try {
      const read = this.client.readStream(stream, {
        fromRevision: fromRevision === 0 ? ESDB_START : BigInt(fromRevision),
        direction: FORWARDS,
        ...(maxCount !== undefined && { maxCount: BigInt(maxCount) }),
      });
      for await (const resolved of read) {
        const event = toRecordedEvent(resolved);
        if (event) events.push(event);
      }
    } catch (error) {
      if (error instanceof StreamNotFoundError) return [];
      throw mapError(error);
    }
    return events;
  }

  async *readAll(options: ReadAllOptions = {}): AsyncIterable<RecordedEvent> {
    const from = parsePosition(options.from ?? START);
    let remaining = options.maxCount ?? Infinity;
    if (remaining <= 0) return;
    // No maxCount for the server: system events are filtered here, so the server cannot know
    // how many to send. The gRPC stream is flow-controlled, and leaving the loop cancels it.
    const read = this.client.readAll({ fromPosition: toReadPosition(from), direction: FORWARDS });
    try {
      for await (const resolved of read) {
        const event = toRecordedEvent(resolved);
        // readAll's fromPosition is inclusive; the port's is exclusive.
        if (!event || BigInt(event.position) <= from) continue;
        yield event;
        if (--remaining <= 0) return;
      }
    } catch (error) {
      throw mapError(error);
    } finally {
      read.destroy();
    }
  }

  subscribe(
    options: SubscribeOptions,
    handler: EventHandler,
    onError?: (error: unknown) => void,
  ): Subscription {
    // subscribeToAll's fromPosition is exclusive, as the port's is.
    const from = parsePosition(options.from ?? START);
    const stream = this.client.subscribeToAll({
      fromPosition: toReadPosition(from),
      filter: excludeSystemEvents(),
    });
    let closed = false;
    let delivering = false;
    let done: Promise<void> = Promise.resolve();
    const subscription: Subscription = {
      close: async () => {
        if (closed) return;
        closed = true;
        await stream.unsubscribe();
        // Closing from inside the handler must not wait for the loop that is waiting for it.
        if (!delivering) await done;
      },
    };
    done = (async () => {
      try {
        for await (const resolved of stream) {
          if (closed) break;
          const event = toRecordedEvent(resolved);
          if (!event) continue;
          delivering = true;
          try {
            await handler(event);
          } finally {
            delivering = false;
          }
        }
      } catch (error) {
        // After close, the cancelled gRPC stream ends with an error that is not news.
        if (!closed) onError?.(mapError(error));
      } finally {
        closed = true;
        this.subscriptions.delete(subscription);
        await stream.unsubscribe().catch(() => undefined);
      }
    })();
    this.subscriptions.add(subscription);
    return subscription;
  }

  async headPosition(): Promise<Position> {
    try {
      const read = this.client.readAll({ fromPosition: END, direction: BACKWARDS });
      try {
        for await (const resolved of read) {
          const event = toRecordedEvent(resolved);
          if (event) return event.position;
        }
      } finally {
        read.destroy();
      }
      return START;
    } catch (error) {
      throw mapError(error);
    }
  }

  async close(): Promise<void> {
    await Promise.all([...this.subscriptions].map((subscription) => subscription.close()));
    await this.client.dispose();
  }

  private async positionOf(stream: string, revision: number): Promise<Position> {
    const read = this.client.readStream(stream, { fromRevision: BigInt(revision), maxCount: 1 });
    for await (const resolved of read) {
      const event = toRecordedEvent(resolved);
      if (event) return event.position;
    }
    throw new EventStoreUnavailableError(
      `Event ${revision} of stream ${stream} could not be read.`,
    );
  }
}

function toEsdbExpectedRevision(expected: ExpectedRevision): AppendExpectedRevision {
  if (expected === 'any') return ANY;
  if (expected === 'no_stream') return NO_STREAM;
  return BigInt(expected);
}

function toReadPosition(position: bigint): ReadPosition {
  if (position === 0n) return ESDB_START;
  const esdb: EsdbPosition = { commit: position, prepare: position };
  return esdb;
}

/**
 * Converts one event read from the server, or returns undefined for what the port does not
 * carry: system events ($-prefixed types or streams), link events, and non-JSON events that
 * this service did not write.
 */
function toRecordedEvent(
  resolved: ResolvedEvent | AllStreamResolvedEvent,
): RecordedEvent | undefined {
  const event = resolved.event;
  if (!event || !event.isJson) return undefined;
  if (event.type.startsWith('$') || event.streamId.startsWith('$')) return undefined;
  const commit = event.position?.commit ?? resolved.commitPosition;
  if (commit === undefined) {
    throw new EventStoreUnavailableError(
      'EventStoreDB returned an event without its position: use EventStoreDB 22.6 or later.',
    );
  }
  return {
    id: event.id,
    type: event.type,
    // The adapter boundary: events were written by this adapter as JSON objects.
    data: event.data as Record<string, unknown>,
    metadata: event.metadata as unknown as EventMetadata,
    stream: event.streamId,
    revision: Number(event.revision),
    position: commit.toString(),
    recordedAt: event.created.toISOString(),
  };
}

function mapError(error: unknown, stream?: string, expected?: ExpectedRevision): unknown {
  if (
    error instanceof WrongExpectedVersionError &&
    stream !== undefined &&
    expected !== undefined
  ) {
    const actual = error.actualVersion === NO_STREAM ? 'no_stream' : Number(error.actualVersion);
    return new WrongExpectedRevisionError(stream, expected, actual);
  }
  if (
    error instanceof UnavailableError ||
    error instanceof DeadlineExceededError ||
    (error instanceof Error && (error as { code?: unknown }).code === GRPC_UNAVAILABLE)
  ) {
    return new EventStoreUnavailableError(`EventStoreDB is unavailable: ${error.message}`, {
      cause: error,
    });
  }
  return error;
}
