import type { Decider, DomainEvent } from '#libs/domain';
import { START, type EventStore, type Position } from '#libs/event-store';
import { RecentCommands, type IdempotencyClaim } from './recent-commands.js';

/** How to find and fold one kind of aggregate. */
export interface AggregateType<Command, Event extends DomainEvent, State> {
  decider: Decider<Command, Event, State>;
  streamOf(id: string): string;
}

export interface LoadedAggregate<State> {
  state: State;
  /** Revision of the stream's last event; -1 when the stream does not exist. */
  revision: number;
  /** Global position of the stream's last event; START when the stream does not exist. */
  position: Position;
  /** Commands recently appended with an Idempotency-Key, from the events' metadata (R37). */
  recent: RecentCommands;
}

/** What a command appended, to fold into the aggregate that decided it. */
export interface Appended<Event> {
  events: (Event & { id: string })[];
  revision: number;
  position: Position;
  idempotency?: IdempotencyClaim;
}

/**
 * Loads aggregates, keeping each one's folded state in memory and reading only the events
 * appended since (a snapshot in memory). This keeps command latency flat however long a
 * stream grows (SPEC §7: an organization of 100,000 members within 2x of a small one).
 * The least recently used streams are dropped beyond `maxStreams`.
 */
export class AggregateStore {
  private readonly cache = new Map<string, LoadedAggregate<unknown>>();

  constructor(
    private readonly store: EventStore,
    private readonly idempotencyTtlMs: number,
    private readonly maxStreams = 10_000,
  ) {}

  async load<C, E extends DomainEvent, S>(
    type: AggregateType<C, E, S>,
    id: string,
  ): Promise<LoadedAggregate<S>> {
    const stream = type.streamOf(id);
    const cached = this.cache.get(stream) as LoadedAggregate<S> | undefined;
    const entry = cached ?? {
      state: type.decider.initialState(),
      revision: -1,
      position: START,
      recent: new RecentCommands(this.idempotencyTtlMs),
    };
    const newer = await this.store.readStream(stream, entry.revision + 1);
    for (const event of newer) {
      // Another load may have folded these while we awaited the read.
      if (event.revision !== entry.revision + 1) continue;
      entry.state = type.decider.evolve(entry.state, { type: event.type, data: event.data } as E);
      entry.recent.record(event);
      entry.revision = event.revision;
      entry.position = event.position;
    }
    if (entry.revision >= 0) this.remember(stream, entry);
    return entry;
  }

  /**
   * Folds events this process has just appended into the aggregate it loaded, so the next
   * load reads nothing, and returns the state after them.
   */
  applyAppended<C, E extends DomainEvent, S>(
    type: AggregateType<C, E, S>,
    id: string,
    loaded: LoadedAggregate<S>,
    appended: Appended<E>,
  ): S {
    const { events, revision, position, idempotency } = appended;
    // A concurrent load may already have folded them from the store.
    if (loaded.revision === revision - events.length) {
      for (const event of events) loaded.state = type.decider.evolve(loaded.state, event);
      if (idempotency) {
        loaded.recent.recordAppended(idempotency, {
          events: events.map((event) => ({ id: event.id, type: event.type })),
          revision,
          position,
          recordedAt: Date.now(),
        });
      }
      loaded.revision = revision;
      loaded.position = position;
    }
    this.remember(type.streamOf(id), loaded);
    return loaded.state;
  }

  private remember(stream: string, entry: LoadedAggregate<unknown>): void {
    this.cache.delete(stream);
    this.cache.set(stream, entry);
    if (this.cache.size > this.maxStreams) {
      const oldest = this.cache.keys().next().value;
      if (oldest !== undefined) this.cache.delete(oldest);
    }
  }
}
