import type { Decider, DomainEvent } from '#libs/domain';
import { START, type EventStore, type Position, type RecordedEvent } from '#libs/event-store';
import {
  decodeSnapshotValue,
  encodeSnapshotValue,
  LATEST_ONLY,
  SNAPSHOT_CODEC_VERSION,
  type SnapshotStore,
} from '#libs/snapshots';
import {
  RecentCommands,
  type IdempotencyClaim,
  type RememberedCommand,
} from './recent-commands.js';

/** How to find and fold one kind of aggregate. */
export interface AggregateType<Command, Event extends DomainEvent, State> {
  decider: Decider<Command, Event, State>;
  streamOf(id: string): string;
  /**
   * The version of `decider.evolve` (e.g. ORGANIZATION_FOLD_VERSION). Set, the aggregate is
   * snapshotted (ADR 19), and only snapshots made by this very version are read back. Its
   * state must be plain data, Maps and Sets (snapshot-codec.ts).
   */
  foldVersion?: string;
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

/** Where and how often the command side snapshots its aggregates (ADR 19). */
export interface AggregateSnapshots {
  store: SnapshotStore;
  /** A snapshot once this many events were folded past the last one (SNAPSHOT_EVERY). */
  every: number;
  /** Told of a snapshot that could not be read or saved; the command goes on regardless. */
  onError?: (message: string, error: unknown) => void;
}

/** What the command side snapshots: the state and the idempotency window (ADR 13). */
interface CommandSnapshot<State> {
  state: State;
  recent: [key: string, command: RememberedCommand][];
}

/** The idempotency window's part of the fold version: bump when RecentCommands' fold changes. */
const RECENT_COMMANDS_FOLD_VERSION = 1;

interface Entry<State> extends LoadedAggregate<State> {
  /** Revision of the newest snapshot saved or loaded for the stream; -1 for none. */
  snapshotRevision: number;
  saving: boolean;
}

/**
 * Loads aggregates, keeping each one's folded state in memory and reading only the events
 * appended since (a snapshot in memory). This keeps command latency flat however long a
 * stream grows (docs/benchmarks.md#targets: an organization of 100,000 members within 2x of a small
 * one). The least recently used streams are dropped beyond `maxStreams`.
 *
 * A cold load (a restart, an evicted stream, another instance) starts from the newest stored
 * snapshot when there is one and folds only the events after it; every `every` events folded,
 * a new snapshot is saved in the background (ADR 19).
 */
export class AggregateStore {
  private readonly cache = new Map<string, Entry<unknown>>();

  constructor(
    private readonly store: EventStore,
    private readonly idempotencyTtlMs: number,
    private readonly maxStreams = 10_000,
    private readonly snapshots?: AggregateSnapshots,
  ) {}

  async load<C, E extends DomainEvent, S>(
    type: AggregateType<C, E, S>,
    id: string,
  ): Promise<LoadedAggregate<S>> {
    const stream = type.streamOf(id);
    const cached = this.cache.get(stream) as Entry<S> | undefined;
    const { entry, newer } = cached
      ? { entry: cached, newer: await this.store.readStream(stream, cached.revision + 1) }
      : await this.coldLoad(type, stream);
    for (const event of newer) {
      // Another load may have folded these while we awaited the read.
      if (event.revision !== entry.revision + 1) continue;
      entry.state = type.decider.evolve(entry.state, { type: event.type, data: event.data } as E);
      entry.recent.record(event);
      entry.revision = event.revision;
      entry.position = event.position;
    }
    if (entry.revision >= 0) {
      this.remember(stream, entry);
      this.snapshotIfDue(type, stream, entry);
    }
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
    const stream = type.streamOf(id);
    const entry = loaded as Entry<S>;
    this.remember(stream, entry);
    this.snapshotIfDue(type, stream, entry);
    return loaded.state;
  }

  /**
   * The aggregate from its newest snapshot and the events after it, or from the first event.
   * The snapshot is checked against the store (the event at its revision must sit at its
   * position): one left from another store or a rewritten file is ignored, never folded on.
   */
  private async coldLoad<C, E extends DomainEvent, S>(
    type: AggregateType<C, E, S>,
    stream: string,
  ): Promise<{ entry: Entry<S>; newer: RecordedEvent[] }> {
    const fresh: Entry<S> = {
      state: type.decider.initialState(),
      revision: -1,
      position: START,
      recent: new RecentCommands(this.idempotencyTtlMs),
      snapshotRevision: -1,
      saving: false,
    };
    const foldVersion = this.foldVersionOf(type);
    if (!this.snapshots || foldVersion === undefined) {
      return { entry: fresh, newer: await this.store.readStream(stream, 0) };
    }
    try {
      const snapshot = await this.snapshots.store.latest(stream, { foldVersion });
      if (snapshot) {
        const events = await this.store.readStream(stream, snapshot.revision);
        const at = events[0];
        if (at?.revision === snapshot.revision && at.position === snapshot.position) {
          const { state, recent } = decodeSnapshotValue<CommandSnapshot<S>>(snapshot.state);
          const entry: Entry<S> = {
            state,
            revision: snapshot.revision,
            position: snapshot.position,
            recent: RecentCommands.restore(this.idempotencyTtlMs, recent),
            snapshotRevision: snapshot.revision,
            saving: false,
          };
          return { entry, newer: events.slice(1) };
        }
        this.snapshots.onError?.(
          `Snapshot of ${stream} at revision ${snapshot.revision} does not match the event store; folding from the first event.`,
          undefined,
        );
      }
    } catch (error) {
      // A snapshot is a cache: an unreadable one costs a full fold, never the command.
      this.snapshots.onError?.(
        `Snapshot of ${stream} unreadable; folding from the first event.`,
        error,
      );
    }
    return { entry: fresh, newer: await this.store.readStream(stream, 0) };
  }

  /**
   * Saves a snapshot once `every` events were folded past the last one, after the current
   * turn of the event loop (the command answers first). The state is encoded in that later
   * turn, together with the revision it is at: evolve runs synchronously, so the pair is
   * consistent whatever was folded in between. A failed save is reported, never thrown.
   */
  private snapshotIfDue<C, E extends DomainEvent, S>(
    type: AggregateType<C, E, S>,
    stream: string,
    entry: Entry<S>,
  ): void {
    const snapshots = this.snapshots;
    const foldVersion = this.foldVersionOf(type);
    if (!snapshots || foldVersion === undefined || entry.saving) return;
    if (entry.revision - entry.snapshotRevision < snapshots.every) return;
    entry.saving = true;
    setImmediate(() => {
      const revision = entry.revision;
      const position = entry.position;
      // Due again `every` events from here, whether this save succeeds or not: a store that
      // keeps failing costs one encode per `every` events, not one per command.
      entry.snapshotRevision = revision;
      let state: Uint8Array;
      try {
        const value: CommandSnapshot<S> = { state: entry.state, recent: entry.recent.entries() };
        state = encodeSnapshotValue(value);
      } catch (error) {
        entry.saving = false;
        snapshots.onError?.(`Snapshot of ${stream} could not be encoded.`, error);
        return;
      }
      snapshots.store
        .save(
          stream,
          { revision, position, time: new Date().toISOString(), foldVersion, state },
          LATEST_ONLY,
        )
        .catch((error: unknown) => snapshots.onError?.(`Snapshot of ${stream} not saved.`, error))
        .finally(() => {
          entry.saving = false;
        });
    });
  }

  private foldVersionOf<C, E extends DomainEvent, S>(
    type: AggregateType<C, E, S>,
  ): string | undefined {
    return type.foldVersion === undefined
      ? undefined
      : `${type.foldVersion}+recent-commands@${RECENT_COMMANDS_FOLD_VERSION}+codec@${SNAPSHOT_CODEC_VERSION}`;
  }

  private remember(stream: string, entry: Entry<unknown>): void {
    this.cache.delete(stream);
    this.cache.set(stream, entry);
    if (this.cache.size > this.maxStreams) {
      const oldest = this.cache.keys().next().value;
      if (oldest !== undefined) this.cache.delete(oldest);
    }
  }
}
