import { PROVENANCE_FOLD_VERSION, Provenance, type EventRef } from '#libs/access';
import { ORGANIZATION_FOLD_VERSION, type OrganizationState } from '#libs/domain';
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

/** Made by this evolve, this provenance fold and this codec; any change to one is another. */
export const ORGANIZATION_HISTORY_FOLD_VERSION = `organization@${ORGANIZATION_FOLD_VERSION}+provenance@${PROVENANCE_FOLD_VERSION}+codec@${SNAPSHOT_CODEC_VERSION}`;

/** The history's snapshots live beside the command side's under a key of their own. */
export const historySnapshotStream = (stream: string): string => `${stream}#history`;

interface Encoded {
  state: OrganizationState;
  /** Each EventRef once (many edges share one: an event sets several), edges by index. */
  refs: EventRef[];
  edges: [edge: string, ref: number][];
  lastTime: string;
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
  const encoded: Encoded = { state: snapshot.state, refs, edges, lastTime: snapshot.lastTime };
  // Kept by the dozen per stream (SPREAD_OVER_HISTORY): compressed, about 4x smaller.
  return encodeSnapshotValue(encoded, { compress: true });
}

export function decodeOrganizationHistorySnapshot(bytes: Uint8Array): OrganizationHistorySnapshot {
  const { state, refs, edges, lastTime } = decodeSnapshotValue<Encoded>(bytes);
  return {
    state,
    provenance: Provenance.restore(edges.map(([edge, at]) => [edge, refs[at]])),
    lastTime,
  };
}
