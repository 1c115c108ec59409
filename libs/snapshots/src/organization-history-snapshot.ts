import { PROVENANCE_FOLD_VERSION, Provenance, type EventRef } from '#libs/access';
import { ORGANIZATION_FOLD_VERSION, type OrganizationState } from '#libs/domain';
import { SPREAD_OVER_HISTORY, thinnedSpacing } from './retention.js';
import type { SnapshotStore } from './snapshot-store.port.js';
import {
  decodeSnapshotValue,
  encodeSnapshotValue,
  SNAPSHOT_CODEC_VERSION,
} from './snapshot-codec.js';

/**
 * The history's snapshot of an organization (R33, ADR 19): the state and the provenance of
 * each edge, as AccessGraphs folds them, and the time of the last event folded (the answer
 * names it). The command side keeps its own kind (state and the idempotency window), under
 * another key: each holds only what its reader folds.
 */
export interface OrganizationHistorySnapshot {
  state: OrganizationState;
  provenance: Provenance;
  /** `recordedAt` of the last event folded. */
  lastTime: string;
}

/** Bump with any change to `Encoded` below. */
const LAYOUT_VERSION = 2;

/** Made by this evolve, this provenance fold, this layout and this codec; any change to one is another. */
export const ORGANIZATION_HISTORY_FOLD_VERSION = `organization@${ORGANIZATION_FOLD_VERSION}+provenance@${PROVENANCE_FOLD_VERSION}+history@${LAYOUT_VERSION}+codec@${SNAPSHOT_CODEC_VERSION}`;

/**
 * Whether the history snapshots its fold right after the event at `revision`: the last
 * revision of each bucket SPREAD_OVER_HISTORY keeps, the buckets never smaller than `every`
 * (rounded up to a power of two, so they nest). The newest of a bucket is the one retention
 * keeps, so a snapshot saved is never thinned away until the stream has doubled; a read folds
 * at most one spacing of events; and the history converges to one snapshot per bucket
 * instead of re-saving wherever reads happen to stop.
 */
export function isHistorySnapshotPoint(revision: number, every: number): boolean {
  let least = 1;
  while (least < every) least *= 2;
  const spacing = Math.max(least, thinnedSpacing(revision, SPREAD_OVER_HISTORY));
  return (revision + 1) % spacing === 0;
}

/** The history's snapshots live beside the command side's under a key of their own. */
export const historySnapshotStream = (stream: string): string => `${stream}#history`;

interface Encoded {
  state: OrganizationState;
  /**
   * The provenance, encoded apart (EncodedProvenance) and decoded only if an edge is asked
   * for: most reads of the past never ask, and it is about half of the bytes to decode.
   */
  provenance: Uint8Array;
  lastTime: string;
}

interface EncodedProvenance {
  /** Each EventRef once (many edges share one: an event sets several), edges by index. */
  refs: EventRef[];
  edges: [edge: string, ref: number][];
}

export function encodeOrganizationHistorySnapshot(
  snapshot: OrganizationHistorySnapshot,
): Uint8Array {
  const index = new Map<EventRef, number>();
  const refs: EventRef[] = [];
  const edges: [string, number][] = [];
  for (const [edge, ref] of snapshot.provenance.entries()) {
    let at = index.get(ref);
    if (at === undefined) {
      at = refs.push(ref) - 1;
      index.set(ref, at);
    }
    edges.push([edge, at]);
  }
  const provenance: EncodedProvenance = { refs, edges };
  const encoded: Encoded = {
    state: snapshot.state,
    provenance: encodeSnapshotValue(provenance),
    lastTime: snapshot.lastTime,
  };
  // Kept by the dozen per stream (SPREAD_OVER_HISTORY): compressed, about 4x smaller (and,
  // read from SQLite, faster to load and inflate than the larger bytes are to load).
  return encodeSnapshotValue(encoded, { compress: true });
}

export function decodeOrganizationHistorySnapshot(bytes: Uint8Array): OrganizationHistorySnapshot {
  const { state, provenance, lastTime } = decodeSnapshotValue<Encoded>(bytes);
  return {
    state,
    provenance: Provenance.restoreLazily(() => {
      const { refs, edges } = decodeSnapshotValue<EncodedProvenance>(provenance);
      return edges.map(([edge, at]) => [edge, refs[at]]);
    }),
    lastTime,
  };
}

/** An organization's fold as the history and the projector keep it, at one event. */
export interface HistoryFold {
  state: OrganizationState;
  provenance: Provenance;
  /** Stream revision and global position of the last event folded. */
  revision: number;
  position: string;
  /** `recordedAt` of that event. */
  time: string;
  /** The latest `recordedAt` folded, in ms: the snapshot serves instants from it on. */
  reachedTime: number;
}

/**
 * Snapshots `fold` of `stream` (the organization's event stream), spread over its history.
 * Encoded before this returns — the caller's fold may go on changing — and written by the
 * promise; an encode that fails throws here, a write that fails rejects it.
 */
export function saveHistorySnapshot(
  store: SnapshotStore,
  stream: string,
  fold: HistoryFold,
): Promise<void> {
  const bytes = encodeOrganizationHistorySnapshot({ ...fold, lastTime: fold.time });
  return store.save(
    historySnapshotStream(stream),
    {
      revision: fold.revision,
      position: fold.position,
      time: new Date(fold.reachedTime).toISOString(),
      foldVersion: ORGANIZATION_HISTORY_FOLD_VERSION,
      state: bytes,
    },
    SPREAD_OVER_HISTORY,
  );
}
