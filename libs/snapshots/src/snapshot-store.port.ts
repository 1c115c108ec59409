/**
 * The SnapshotStore port (ADR 19): folded states of a stream, kept so that a cold load or a
 * history read starts from one and folds only the events after it. Adapters: SQLite (embedded,
 * a file beside the event store) and MongoDB (GridFS). Both pass one contract suite
 * (test/contracts/snapshot-store.contract.ts).
 *
 * A snapshot is a cache of a fold, never a source of truth: losing any number of them only
 * costs time. It is tagged with the version of the fold that made it, and asked for by that
 * version, so a changed `evolve` makes old snapshots unused, never wrong.
 */

import type { RetentionPolicy } from './retention.js';

/** A global position, a decimal string as everywhere outside the event-store adapters. */
export type SnapshotPosition = string;

export interface Snapshot {
  /** Stream revision of the last event folded into `state`. */
  revision: number;
  /** Global position of that event. */
  position: SnapshotPosition;
  /**
   * ISO-8601: the latest `recordedAt` among the events folded (the history asks by instant:
   * a snapshot is usable for an instant at or after it).
   */
  time: string;
  /** The fold (evolve, and whatever else folded into `state`) and codec that made it. */
  foldVersion: string;
  /** The folded state, encoded (snapshot-codec.ts); opaque to the store. */
  state: Uint8Array;
}

export interface LatestSnapshotQuery {
  /** Only snapshots made by this fold: any other is ignored. */
  foldVersion: string;
  /** The newest at or before this revision (inclusive). */
  maxRevision?: number;
  /** The newest at or before this global position (inclusive). */
  maxPosition?: SnapshotPosition;
  /** The newest whose `time` is at or before this instant, in ms since the epoch (inclusive). */
  maxTime?: number;
}

export interface SnapshotStore {
  /**
   * Keeps `snapshot` for `stream` (saving the same revision and fold version again replaces
   * it), then thins the stream's snapshots of that fold version to `retention` (default
   * LATEST_ONLY). Snapshots of other fold versions of the stream are dropped: the release
   * saving this one cannot use them (during a rolling deploy the other release's instances
   * then fold from events until they save their own: slower, never wrong).
   */
  save(stream: string, snapshot: Snapshot, retention?: RetentionPolicy): Promise<void>;

  /** The newest snapshot of `stream` matching the query; undefined when there is none. */
  latest(stream: string, query: LatestSnapshotQuery): Promise<Snapshot | undefined>;

  close(): Promise<void>;
}

/** The store could not be reached or failed; a snapshot is a cache, so callers fold instead. */
export class SnapshotStoreUnavailableError extends Error {
  readonly code = 'SNAPSHOT_STORE_UNAVAILABLE';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'SnapshotStoreUnavailableError';
  }
}

/** Global positions compare as integers of any size (EventStoreDB's are 64-bit). */
export function comparePositions(a: SnapshotPosition, b: SnapshotPosition): number {
  const x = BigInt(a);
  const y = BigInt(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

/**
 * A position as a fixed-width string, so that stores order and compare positions as text
 * (SQLite TEXT, a MongoDB string) the way they compare as numbers. 30 digits: the widest
 * position `asOf=` accepts.
 */
export function positionKey(position: SnapshotPosition): string {
  return BigInt(position).toString().padStart(30, '0');
}
