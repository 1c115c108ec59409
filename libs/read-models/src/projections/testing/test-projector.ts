import { organizationDecider, type OrganizationEvent, type OrganizationState } from '#libs/domain';
import type { Document, DocumentChange } from '../../document-store.port.js';
import type { ProjectedEvent, Projection } from '../../projection.js';
import { ALL_PROJECTIONS, documentsOf } from '../index.js';

/** Collections as plain maps: `_id` -> document. */
export type Collections = Map<string, Map<string, Document>>;

/**
 * The projector in miniature, for specs: folds one organization's events with the domain's
 * evolve, runs every projection's scope (before) and project (after), and applies the changes
 * to plain maps, as the real projector does to a DocumentStore.
 */
export class TestProjector {
  state: OrganizationState = organizationDecider.initialState();
  readonly collections: Collections = new Map();
  /** Every change applied, per event, to look at what an event touched. */
  lastChanges: DocumentChange[] = [];
  private revision = 0;

  constructor(
    readonly organizationId: string,
    private readonly projections: readonly Projection[] = ALL_PROJECTIONS,
  ) {}

  /** Folds without projecting, like the projector below a projection's checkpoint. */
  fold(event: OrganizationEvent): void {
    this.state = organizationDecider.evolve(this.state, this.record(event));
  }

  handle(event: OrganizationEvent): ProjectedEvent {
    const recorded = this.record(event);
    const scopes = this.projections.map((projection) => projection.scope(recorded, this.state));
    this.state = organizationDecider.evolve(this.state, recorded);
    this.lastChanges = this.projections.flatMap((projection, i) =>
      projection.project(recorded, scopes[i], this.state),
    );
    applyChanges(this.collections, this.lastChanges);
    return recorded;
  }

  private record(event: OrganizationEvent): ProjectedEvent {
    const recorded = {
      ...event,
      id: `${this.organizationId}-${this.revision}`,
      metadata: {
        organizationId: this.organizationId,
        schemaVersion: 1,
        actor: { type: 'system', id: 'spec' },
        correlationId: 'spec',
        causationId: 'spec',
      },
      stream: `organization-${this.organizationId}`,
      revision: this.revision,
      position: String(this.revision + 1),
      recordedAt: '2026-03-01T12:00:00.000Z',
    } as unknown as ProjectedEvent;
    this.revision += 1;
    return recorded;
  }

  /** The documents of a collection, by `_id`. */
  documents(collection: string): Map<string, Document> {
    return this.collections.get(collection) ?? new Map();
  }

  get(collection: string, id: string): Document | undefined {
    return this.collections.get(collection)?.get(id);
  }
}

export function applyChanges(collections: Collections, changes: readonly DocumentChange[]): void {
  const collection = (name: string) => {
    let documents = collections.get(name);
    if (!documents) collections.set(name, (documents = new Map()));
    return documents;
  };
  for (const change of changes) {
    const documents = collection(change.collection);
    switch (change.type) {
      case 'put':
        // A copy, so that a later mutation of what a projection returned cannot pass unseen.
        documents.set(change.document._id, structuredClone(change.document));
        break;
      case 'delete':
        documents.delete(change.id);
        break;
      case 'replaceWhere':
        for (const [id, document] of documents) {
          if (Object.entries(change.filter).every(([field, value]) => document[field] === value)) {
            documents.delete(id);
          }
        }
        for (const document of change.documents) {
          documents.set(document._id, structuredClone(document));
        }
        break;
    }
  }
}

/**
 * The oracle: every document recomputed from the state alone (documentsOf, the catalog
 * projection's organization and roles included), as plain maps like the projector's.
 */
export function recomputed(state: OrganizationState): Collections {
  const collections: Collections = new Map();
  for (const [name, documents] of Object.entries(documentsOf(state))) {
    collections.set(name, new Map(documents.map((document) => [document._id, document])));
  }
  return collections;
}

/** Collections as sorted plain objects, for readable equality failures; empty ones dropped. */
export function snapshot(collections: Collections): Record<string, Record<string, Document>> {
  const out: Record<string, Record<string, Document>> = {};
  for (const name of [...collections.keys()].sort()) {
    const documents = collections.get(name) ?? new Map();
    if (documents.size === 0) continue;
    out[name] = Object.fromEntries([...documents.entries()].sort(([a], [b]) => (a < b ? -1 : 1)));
  }
  return out;
}
