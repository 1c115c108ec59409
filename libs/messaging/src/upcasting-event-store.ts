import type { Settings } from '#libs/config';
import {
  openEventStore,
  type AppendResult,
  type EventHandler,
  type EventStore,
  type ExpectedRevision,
  type NewEvent,
  type Position,
  type ReadAllOptions,
  type RecordedEvent,
  type SubscribeOptions,
  type Subscription,
} from '#libs/event-store';
import { upcasters as defaultUpcasters, type UpcasterRegistry } from './upcasters.js';

/**
 * An EventStore whose readers only ever see the current schema version of every event type:
 * aggregate loads, projections, the change feed, the publisher and the history reads all read
 * through it, so none of them meets an old shape (R32: history is never rewritten, it is read
 * anew). Appends stamp the version this release writes, from the same registry.
 */
export class UpcastingEventStore implements EventStore {
  constructor(
    private readonly inner: EventStore,
    readonly upcasters: UpcasterRegistry = defaultUpcasters,
  ) {}

  append(
    stream: string,
    events: NewEvent[],
    expectedRevision: ExpectedRevision,
  ): Promise<AppendResult> {
    const stamped = events.map((event) => ({
      ...event,
      metadata: { ...event.metadata, schemaVersion: this.upcasters.currentVersion(event.type) },
    }));
    return this.inner.append(stream, stamped, expectedRevision);
  }

  async readStream(
    stream: string,
    fromRevision?: number,
    maxCount?: number,
  ): Promise<RecordedEvent[]> {
    return (await this.inner.readStream(stream, fromRevision, maxCount)).map((event) =>
      this.upcast(event),
    );
  }

  async *readAll(options?: ReadAllOptions): AsyncIterable<RecordedEvent> {
    for await (const event of this.inner.readAll(options)) yield this.upcast(event);
  }

  subscribe(
    options: SubscribeOptions,
    handler: EventHandler,
    onError?: (error: unknown) => void,
  ): Subscription {
    return this.inner.subscribe(options, (event) => handler(this.upcast(event)), onError);
  }

  headPosition(): Promise<Position> {
    return this.inner.headPosition();
  }

  close(): Promise<void> {
    return this.inner.close();
  }

  /** The event as this release reads it; the same object when it is already current. */
  private upcast(event: RecordedEvent): RecordedEvent {
    const { schemaVersion } = event.metadata;
    if (schemaVersion === this.upcasters.currentVersion(event.type)) return event;
    const upcast = this.upcasters.upcast(event.type, schemaVersion, event.data);
    return {
      ...event,
      data: upcast.data,
      metadata: { ...event.metadata, schemaVersion: upcast.schemaVersion },
    };
  }
}

/** The event store of the settings (see openEventStore), read at the current schema versions. */
export function openUpcastingEventStore(
  settings: Settings,
  registry: UpcasterRegistry = defaultUpcasters,
): UpcastingEventStore {
  return new UpcastingEventStore(openEventStore(settings), registry);
}
