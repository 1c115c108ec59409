import type { OrganizationEvent, OrganizationState } from '#libs/domain';
import type { RecordedEvent } from '#libs/event-store';
import type { CollectionIndexes, DocumentChange } from './document-store.port.js';

/** A stored event with its domain type, as projections see it. */
export type ProjectedEvent = RecordedEvent & OrganizationEvent;

/**
 * A projection: pure functions from an event to document changes (ADR 10).
 *
 * The projector folds each organization's state with the domain's own `evolve`, so read models
 * and commands agree on what history means (R33). A projection sees the event twice:
 * `scope` before the state is evolved (to note what the event is about to change — e.g. the
 * members of a group being deleted), and `project` after, to compute the new documents of
 * that scope from the state.
 */
export interface Projection<Scope = unknown> {
  readonly name: string;
  /**
   * The shape of what it writes: bump it with any change to its documents. A start then finds
   * no checkpoint under the new version and rebuilds this projection alone, from position 0,
   * while the others resume where they were (ADR 20).
   */
  readonly version?: number;
  /** The collections it owns, with the fields they are filtered by. */
  readonly collections: CollectionIndexes;
  scope(event: ProjectedEvent, before: OrganizationState): Scope;
  project(event: ProjectedEvent, scope: Scope, after: OrganizationState): DocumentChange[];
}

/** The checkpoint a projection's documents are applied up to: one per name and version. */
export function checkpointName(projection: Pick<Projection, 'name' | 'version'>): string {
  return projection.version === undefined
    ? projection.name
    : `${projection.name}@v${projection.version}`;
}
