import type { FoldedOrganization } from '#libs/read-models';

export const DOCUMENT_STORE = Symbol('DocumentStore');
export const READ_MODEL_PROGRESS = Symbol('ReadModelProgress');

/** How far the read models have got: the projector, seen from the query side (R35). */
export interface ReadModelProgress {
  /** True as soon as the read models have applied every event up to `position`. */
  waitFor(position: string, timeoutMs: number): Promise<boolean>;
}

/**
 * How far the event store has got (an EventStore fits): a position beyond its head was never
 * answered by a command, so no wait can reach it (R35).
 */
export interface StoreHead {
  /** Position of the last event in the store, or START when empty. */
  headPosition(): Promise<string>;
}

export const ACCESS_GRAPHS = Symbol('AccessGraphs');

/** The organizations' access graphs, as folded by the projector (AccessGraphs fits). */
export interface AccessGraphSource {
  get(organizationId: string): FoldedOrganization | undefined;
}

/** The event store: the history reads (R33, R34, R39) come from it, and minPosition checks its head (R35). */
export const HISTORY_STORE = Symbol('HistoryStore');

/** The history's snapshots (HistorySnapshots: a SnapshotStore and how often); absent: none (ADR 19). */
export const HISTORY_SNAPSHOTS = Symbol('HistorySnapshots');

/** How many events the history reads at a time (OrganizationHistory's default unless given). */
export const HISTORY_READ_CHUNK = Symbol('HistoryReadChunk');
