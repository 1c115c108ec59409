import type { Settings } from '#libs/config';
import type { EventStore } from '#libs/event-store';
import { openUpcastingEventStore, type UpcasterRegistry } from '#libs/messaging';

export interface Stores {
  eventStore: EventStore;
}

/** The event store of the settings, read at the current schema versions (UpcastingEventStore). */
export function openStores(settings: Settings, upcasters?: UpcasterRegistry): Stores {
  return { eventStore: openUpcastingEventStore(settings, upcasters) };
}
