import type { Position } from '#libs/event-store';
import {
  Collections,
  documentBuildersOf,
  MemoryDocumentStore,
  PROJECTION_INDEXES,
  type Document,
  type DocumentChange,
  type DocumentStore,
  type Filter,
  type FindOptions,
} from '#libs/read-models';
import type { PastOrganization } from './organization-history.js';

/**
 * The read models of a past organization (R33): the projections' own documents (documentsOf)
 * of the state folded to that point, each collection built the first time a read asks for it,
 * in a store of their own with the live collections' indexes. Credentials are never built: no
 * read serves them, and a key's hash lives only in its event and the live lookup (S2).
 */
export class PastDocumentStore implements DocumentStore {
  private readonly store = new MemoryDocumentStore(PROJECTION_INDEXES);
  private readonly builders: Record<string, () => Document[]>;
  private readonly built = new Map<string, Promise<void>>();

  constructor(private readonly past: PastOrganization) {
    this.builders = documentBuildersOf(past.state);
  }

  async get(collection: string, id: string): Promise<Document | undefined> {
    await this.build(collection);
    return this.store.get(collection, id);
  }

  async find(collection: string, filter: Filter, options: FindOptions): Promise<Document[]> {
    await this.build(collection);
    return this.store.find(collection, filter, options);
  }

  async *scan(collection: string, filter: Filter): AsyncIterable<Document> {
    await this.build(collection);
    yield* this.store.scan(collection, filter);
  }

  async checkpoint(): Promise<Position> {
    return this.past.position;
  }

  apply(): Promise<void> {
    return Promise.reject(new TypeError('The past is read-only.'));
  }

  reset(): Promise<void> {
    return Promise.reject(new TypeError('The past is read-only.'));
  }

  close(): Promise<void> {
    return this.store.close();
  }

  private build(collection: string): Promise<void> {
    let building = this.built.get(collection);
    if (!building) {
      const builder =
        collection === Collections.credentials ? undefined : this.builders[collection];
      const changes: DocumentChange[] = (builder?.() ?? []).map((document) => ({
        type: 'put',
        collection,
        document,
      }));
      building = this.store.apply(changes, [], this.past.position);
      this.built.set(collection, building);
    }
    return building;
  }
}
