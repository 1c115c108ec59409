import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import { DomainError, type DomainEvent } from '#libs/domain';
import { ApiError, Metrics } from '#libs/http';
import {
  newEventId,
  WrongExpectedRevisionError,
  type EventActor,
  type EventStore,
  type NewEvent,
  type Position,
} from '#libs/event-store';
import {
  AggregateStore,
  type AggregateSnapshots,
  type AggregateType,
  type LoadedAggregate,
} from './aggregate-store.js';
import { KeyedMutex } from './keyed-mutex.js';
import { activeTraceContext, type TraceContext } from './trace-context.js';
import type { IdempotencyClaim } from './recent-commands.js';
import { COMMAND_RETRIES, EVENT_STORE, IDEMPOTENCY_TTL_MS, SNAPSHOTS } from './tokens.js';

/** How long an Idempotency-Key is remembered when the app does not say (R37). */
const DEFAULT_IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000;

/** Where a command comes from, stamped on every event it produces (R32). */
export interface CommandTrace {
  organizationId: string;
  actor: EventActor;
  correlationId: string;
  causationId: string;
  /** Present when the request carried an Idempotency-Key (R37). */
  idempotency?: IdempotencyClaim;
}

/** A domain event with the id it was stored under. */
export type AppendedEvent<E extends DomainEvent> = E & { id: string };

export interface CommandOutcome<S> {
  events: { id: string; type: string }[];
  state: S;
  /** Global position of the command's last event, or of the stream's last one if it appended nothing (R35). */
  position: Position;
  /** True when this is the first result of an earlier send of the same Idempotency-Key (R37). */
  replayed: boolean;
}

/** The same Idempotency-Key came with a different request (R37). */
export class IdempotencyKeyReusedError extends ApiError {
  constructor() {
    super(
      422,
      'IDEMPOTENCY_KEY_REUSED',
      'This Idempotency-Key was used for a different request: send this one with a new key.',
    );
  }
}

/** Thrown when a stream keeps changing under a command beyond the retry budget (R36). */
export class ConcurrencyExhaustedError extends ApiError {
  constructor(readonly stream: string) {
    super(
      409,
      'CONCURRENT_MODIFICATION',
      `Stream ${stream} changed on every attempt; try the command again.`,
    );
  }
}

/**
 * Load, decide, append with the expected revision; on a conflict, decide again on fresh
 * state, a bounded number of times (R36). A refused command throws the decider's DomainError
 * before anything is appended (R38).
 */
@Injectable()
export class CommandExecutor {
  private readonly streams = new KeyedMutex();
  private readonly aggregates: AggregateStore;

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(COMMAND_RETRIES) private readonly retries: number,
    @Optional() private readonly metrics?: Metrics,
    @Optional() @Inject(IDEMPOTENCY_TTL_MS) idempotencyTtlMs = DEFAULT_IDEMPOTENCY_TTL_MS,
    @Optional() @Inject(SNAPSHOTS) snapshots?: AggregateSnapshots,
  ) {
    const logger = new Logger('Snapshots');
    this.aggregates = new AggregateStore(
      store,
      idempotencyTtlMs,
      undefined,
      snapshots && {
        onError: (message, error) =>
          logger.warn(error instanceof Error ? `${message} ${error.message}` : message),
        ...snapshots,
      },
    );
  }

  async load<C, E extends DomainEvent, S>(type: AggregateType<C, E, S>, id: string): Promise<S> {
    return (await this.aggregates.load(type, id)).state;
  }

  async execute<C, E extends DomainEvent, S>(
    type: AggregateType<C, E, S>,
    id: string,
    command: C,
    trace: CommandTrace,
  ): Promise<CommandOutcome<S>> {
    const started = performance.now();
    let outcome = 'failed';
    // Read here, in the caller's context: the append may run later, queued behind another.
    const traceContext = activeTraceContext();
    try {
      const result = await this.streams.run(type.streamOf(id), () =>
        this.decideAndAppend(type, id, command, trace, traceContext),
      );
      outcome = result.replayed ? 'replayed' : result.events.length > 0 ? 'appended' : 'unchanged';
      return result;
    } catch (error) {
      if (error instanceof DomainError) outcome = 'refused';
      throw error;
    } finally {
      this.metrics?.commandLatency.observe({ outcome }, (performance.now() - started) / 1000);
    }
  }

  private async decideAndAppend<C, E extends DomainEvent, S>(
    type: AggregateType<C, E, S>,
    id: string,
    command: C,
    trace: CommandTrace,
    traceContext: TraceContext | undefined,
  ): Promise<CommandOutcome<S>> {
    const stream = type.streamOf(id);
    for (let attempt = 0; ; attempt++) {
      const loaded = await this.aggregates.load(type, id);
      // Asked again after each conflict: the append that beat us may be this very command,
      // sent to another instance (R37).
      const replay = this.replayOf(loaded, trace.idempotency);
      if (replay) return replay;
      const decided = type.decider.decide(command, loaded.state);
      if (decided.length === 0) {
        return { events: [], state: loaded.state, position: loaded.position, replayed: false };
      }
      // Time-ordered (UUIDv7, ADR 21): the store's unique index on ids then grows at its end.
      const events: AppendedEvent<E>[] = decided.map((event) => ({ ...event, id: newEventId() }));
      const appending = performance.now();
      try {
        const result = await this.store.append(
          stream,
          toNewEvents(events, trace, traceContext),
          loaded.revision === -1 ? 'no_stream' : loaded.revision,
        );
        this.metrics?.appendLatency.observe(
          { outcome: 'ok' },
          (performance.now() - appending) / 1000,
        );
        const state = this.aggregates.applyAppended(type, id, loaded, {
          events,
          revision: result.revision,
          position: result.position,
          idempotency: trace.idempotency,
        });
        return {
          events: events.map(({ id, type }) => ({ id, type })),
          state,
          position: result.position,
          replayed: false,
        };
      } catch (error) {
        const conflict = error instanceof WrongExpectedRevisionError;
        this.metrics?.appendLatency.observe(
          { outcome: conflict ? 'conflict' : 'error' },
          (performance.now() - appending) / 1000,
        );
        if (!conflict) throw error;
        if (attempt >= this.retries) throw new ConcurrencyExhaustedError(stream);
      }
    }
  }

  /** The first result of this Idempotency-Key on this stream, if it is remembered. */
  private replayOf<S>(
    loaded: LoadedAggregate<S>,
    claim: IdempotencyClaim | undefined,
  ): CommandOutcome<S> | undefined {
    if (!claim) return undefined;
    const first = loaded.recent.find(claim.key, Date.now());
    if (!first) return undefined;
    if (first.fingerprint !== claim.fingerprint) throw new IdempotencyKeyReusedError();
    return { events: first.events, state: loaded.state, position: first.position, replayed: true };
  }
}

/**
 * Stamps the trace on each event (R32). An event a cascade produced (R11, R19) names its
 * cause by index in the same decision (`causedBy`); its causation id is then that event's id,
 * so an auditor can follow a removal to each membership it took away. The others were caused
 * by the request itself. The span's trace context, when tracing is on, goes on each as well.
 */
function toNewEvents(
  events: AppendedEvent<DomainEvent>[],
  trace: CommandTrace,
  traceContext: TraceContext | undefined,
): NewEvent[] {
  return events.map((event, index) => ({
    id: event.id,
    type: event.type,
    data: event.data,
    metadata: {
      organizationId: trace.organizationId,
      // What this release writes; the UpcastingEventStore stamps the catalog's version.
      schemaVersion: 1,
      actor: trace.actor,
      correlationId: trace.correlationId,
      causationId: event.causedBy === undefined ? trace.causationId : causeOf(events, index).id,
      ...(trace.idempotency && { idempotency: trace.idempotency }),
      ...traceContext,
    },
  }));
}

/** The event `events[index]` names as its cause; only an earlier one of the same decision can be. */
function causeOf(events: AppendedEvent<DomainEvent>[], index: number): AppendedEvent<DomainEvent> {
  const causedBy = events[index].causedBy;
  if (causedBy === undefined || !Number.isInteger(causedBy) || causedBy < 0 || causedBy >= index) {
    // A decider bug: refuse to record a causation chain that points nowhere (thrown before I/O).
    throw new TypeError(
      `Event ${index} (${events[index].type}) names causedBy=${String(causedBy)}, not an earlier event of its decision.`,
    );
  }
  return events[causedBy];
}
