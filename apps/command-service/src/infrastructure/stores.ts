import type { Settings } from '#libs/config';
import type { EventStore } from '#libs/event-store';
import { openUpcastingEventStore, type UpcasterRegistry } from '#libs/messaging';
import { openSnapshotStore, type SnapshotStore } from '#libs/snapshots';

export interface Stores {
  eventStore: EventStore;
  /** Absent when SNAPSHOTS=off (ADR 19). */
  snapshotStore?: SnapshotStore;
}

/**
 * The event store of the settings, read at the current schema versions (UpcastingEventStore),
 * and the snapshot store beside it (ADR 19).
 */
export function openStores(settings: Settings, upcasters?: UpcasterRegistry): Stores {
  return {
    eventStore: openUpcastingEventStore(settings, upcasters),
    snapshotStore: openSnapshotStore(settings),
  };
}
