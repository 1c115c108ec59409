import type { Position } from '#libs/event-store';

/**
 * The DocumentStore port: where projections keep read models. Adapters: memory (embedded
 * default, rebuilt from the event store at start) and MongoDB (production). One contract suite
 * (test/contracts/document-store.contract.ts) runs on both.
 */

export type Scalar = string | number | boolean | null;

/** A read-model document. `_id` is unique within its collection. */
export interface Document {
  _id: string;
  organizationId: string;
  [field: string]: unknown;
}

/** Equality on top-level scalar fields, all of which must match. */
export type Filter = Record<string, Scalar>;

export type DocumentChange =
  /** Inserts or replaces the whole document. */
  | { type: 'put'; collection: string; document: Document }
  /** Deletes one document; nothing if it is absent. */
  | { type: 'delete'; collection: string; id: string }
  /** Deletes every document matching `filter`, then puts `documents`: recomputing a slice. */
  | { type: 'replaceWhere'; collection: string; filter: Filter; documents: Document[] };

export interface FindOptions {
  /** At most this many documents, in `_id` order. */
  limit: number;
  /** Cursor: only documents whose `_id` sorts after this one (exclusive). */
  after?: string;
}

/** Collections and the fields they are filtered by (indexed by the adapters). */
export type CollectionIndexes = Record<string, readonly string[]>;

export interface DocumentStore {
  /**
   * Applies the changes, in order, and moves each named checkpoint to `position`, atomically:
   * after a crash either all of it happened or none (Mongo: one transaction).
   */
  apply(
    changes: readonly DocumentChange[],
    checkpoints: readonly string[],
    position: Position,
  ): Promise<void>;
  /** A projection's checkpoint: the position of the last event applied, START if none. */
  checkpoint(name: string): Promise<Position>;
  get(collection: string, id: string): Promise<Document | undefined>;
  /** Matching documents in `_id` order, a page at a time (cursor pagination). */
  find(collection: string, filter: Filter, options: FindOptions): Promise<Document[]>;
  /** Every matching document in `_id` order, streamed: memory stays flat however many match. */
  scan(collection: string, filter: Filter): AsyncIterable<Document>;
  /** Empties the collections and removes the checkpoints, for a rebuild from position 0. */
  reset(collections: readonly string[], checkpoints: readonly string[]): Promise<void>;
  close(): Promise<void>;
}
