import { type Position, START } from '#libs/event-store';
import type {
  CollectionIndexes,
  Document,
  DocumentChange,
  DocumentStore,
  Filter,
  FindOptions,
  Scalar,
} from '../document-store.port.js';
import { DocumentStoreUnavailableError } from './document-store.errors.js';
import { Catalog, checkCheckpointName } from './document-store.validation.js';

/** A field value no scalar filter can match (an object or an array): kept out of the indexes. */
const UNINDEXED = Symbol('unindexed');
type IndexKey = Scalar | typeof UNINDEXED;

/**
 * Up to this many ids, a sorted id list is kept up to date in place (a binary search and a
 * splice: a memmove of at most 512 KiB); beyond it, a change drops the list and the next read
 * sorts again, so that writes never pay more than that whatever is read.
 */
const MAINTAINED_SORT_LIMIT = 65_536;

/**
 * The ids holding one value of one field, or every id of a collection. `sorted` is built by
 * the first read that needs order, then kept up to date (see MAINTAINED_SORT_LIMIT). Until a
 * read asks, writes only touch the Set: a rebuild writes a million events without paying for
 * order nobody has asked for yet.
 */
interface IdSet {
  /** Every id of the collection uses the documents map itself, not a second set. */
  readonly ids: Set<string> | Map<string, Document>;
  sorted: string[] | undefined;
}

/** The ids holding one value of one field. */
type ValueSet = IdSet & { readonly ids: Set<string> };

/**
 * One declared field's index, built by the first read that filters on the field and kept up
 * to date from then on. Until then writes skip it: a rebuild at start (a million events, no
 * reads yet) pays only for the indexes its own replaceWhere filters use, and the rest are
 * built once, in one pass, when the first query arrives.
 */
interface FieldIndex {
  readonly field: string;
  /** value -> ids. A missing field is indexed as null, as MongoDB matches it. */
  readonly byValue: Map<Scalar, ValueSet>;
  built: boolean;
}

interface CollectionState {
  readonly documents: Map<string, Document>;
  readonly all: IdSet;
  readonly indexes: Map<string, FieldIndex>;
  /** The same indexes, as an array: what every write walks. */
  readonly indexList: readonly FieldIndex[];
}

/**
 * The embedded DocumentStore: everything in memory, rebuilt from the event store at start.
 *
 * Documents are normalised to a deep copy and frozen when written, and handed out as they are.
 * That is the cheapest safe choice: reads outnumber writes by far and cost nothing (no copy per
 * document per query), one copy per write is paid anyway to detach the store from the caller's
 * object, and a caller that tries to mutate a result gets a TypeError (ES modules are strict)
 * instead of silently corrupting the read model. Code that mutates results fails loudly here,
 * in tests, rather than only diverging from MongoDB.
 *
 * Ids sort by UTF-16 code units (JavaScript's `<`); SQLite and MongoDB compare UTF-8 bytes. The
 * two orders only differ between characters above U+FFFF and those from U+E000 to U+FFFF; ids
 * here are ASCII (`<organizationId>:<...>`, hex hashes).
 */
export class MemoryDocumentStore implements DocumentStore {
  private readonly catalog: Catalog;
  private readonly collections = new Map<string, CollectionState>();
  private readonly checkpoints = new Map<string, Position>();
  private closed = false;

  constructor(indexes: CollectionIndexes) {
    this.catalog = new Catalog(indexes);
    for (const [name, fields] of this.catalog.collections) {
      this.collections.set(name, emptyCollection(fields));
    }
  }

  async apply(
    changes: readonly DocumentChange[],
    checkpoints: readonly string[],
    position: Position,
  ): Promise<void> {
    this.assertOpen();
    // Everything that can fail happens here, before the first change is made; what follows
    // only updates maps and cannot throw, and there is no await, so no reader sees half of it.
    const checked = this.catalog.checkApply(changes, checkpoints, position, true);
    for (const change of checked) {
      const collection = this.collections.get(change.collection)!;
      switch (change.type) {
        case 'put':
          put(collection, change.document);
          break;
        case 'delete':
          remove(collection, change.id);
          break;
        case 'replaceWhere':
          for (const id of matchingIds(collection, change.filter)) remove(collection, id);
          for (const document of change.documents) put(collection, document);
          break;
      }
    }
    for (const name of checkpoints) this.checkpoints.set(name, position);
  }

  async checkpoint(name: string): Promise<Position> {
    this.assertOpen();
    checkCheckpointName(name);
    return this.checkpoints.get(name) ?? START;
  }

  async get(collection: string, id: string): Promise<Document | undefined> {
    this.assertOpen();
    this.catalog.fields(collection);
    return this.collections.get(collection)!.documents.get(id);
  }

  async find(collection: string, filter: Filter, options: FindOptions): Promise<Document[]> {
    this.assertOpen();
    this.catalog.checkFind(collection, filter, options);
    const state = this.collections.get(collection)!;
    const ids = candidates(state, filter);
    const found: Document[] = [];
    for (let i = firstAfter(ids, options.after); i < ids.length; i++) {
      if (found.length >= options.limit) break;
      const document = state.documents.get(ids[i])!;
      if (matches(document, filter)) found.push(document);
    }
    return found;
  }

  /**
   * Walks a copy of the sorted ids of the most selective index as they were when the scan
   * started (its one copy: ids, not documents; the index's own list changes with later
   * writes), looking each document up as it goes: a document deleted meanwhile is skipped, one
   * changed meanwhile is yielded as it is now if it still matches, one added meanwhile is not
   * yielded. Each id at most once, in order.
   */
  async *scan(collection: string, filter: Filter): AsyncIterable<Document> {
    this.assertOpen();
    this.catalog.checkFilter(collection, filter);
    const state = this.collections.get(collection)!;
    const ids = candidates(state, filter).slice();
    for (const id of ids) {
      this.assertOpen();
      const document = state.documents.get(id);
      if (document !== undefined && matches(document, filter)) yield document;
    }
  }

  async reset(collections: readonly string[], checkpoints: readonly string[]): Promise<void> {
    this.assertOpen();
    this.catalog.checkReset(collections, checkpoints);
    // Emptied in place, so that a scan still walking a collection sees its documents gone.
    for (const name of collections) clear(this.collections.get(name)!);
    for (const name of checkpoints) this.checkpoints.delete(name);
  }

  async close(): Promise<void> {
    this.closed = true;
    this.collections.clear();
    this.checkpoints.clear();
  }

  private assertOpen(): void {
    if (this.closed) {
      throw new DocumentStoreUnavailableError('The in-memory document store is closed.');
    }
  }
}

function emptyCollection(fields: readonly string[]): CollectionState {
  const indexList = fields.map((field): FieldIndex => ({
    field,
    byValue: new Map(),
    built: false,
  }));
  const documents = new Map<string, Document>();
  return {
    documents,
    all: { ids: documents, sorted: undefined },
    indexes: new Map(indexList.map((index) => [index.field, index])),
    indexList,
  };
}

function clear(state: CollectionState): void {
  state.documents.clear();
  state.all.sorted = undefined;
  for (const index of state.indexList) index.byValue.clear();
}

function indexKey(value: unknown): IndexKey {
  if (value === undefined || value === null) return null;
  return typeof value === 'object' ? UNINDEXED : (value as Scalar);
}

function put(state: CollectionState, document: Document): void {
  const id = document._id;
  const previous = state.documents.get(id);
  state.documents.set(id, document);
  if (previous === undefined) keepSorted(state.all, id);
  for (const { field, byValue, built } of state.indexList) {
    if (!built) continue;
    const key = indexKey(document[field]);
    if (previous !== undefined) {
      const oldKey = indexKey(previous[field]);
      if (oldKey === key) continue;
      if (oldKey !== UNINDEXED) removeId(byValue, oldKey, id);
    }
    if (key === UNINDEXED) continue;
    addId(valueSet(byValue, key), id);
  }
}

function valueSet(byValue: Map<Scalar, ValueSet>, key: Scalar): ValueSet {
  let set = byValue.get(key);
  if (set === undefined) {
    set = { ids: new Set(), sorted: undefined };
    byValue.set(key, set);
  }
  return set;
}

function ensureBuilt(state: CollectionState, index: FieldIndex): void {
  if (index.built) return;
  for (const document of state.documents.values()) {
    const key = indexKey(document[index.field]);
    if (key !== UNINDEXED) valueSet(index.byValue, key).ids.add(document._id);
  }
  index.built = true;
}

function remove(state: CollectionState, id: string): void {
  const previous = state.documents.get(id);
  if (previous === undefined) return;
  state.documents.delete(id);
  dropSorted(state.all, id);
  for (const { field, byValue, built } of state.indexList) {
    if (!built) continue;
    const key = indexKey(previous[field]);
    if (key !== UNINDEXED) removeId(byValue, key, id);
  }
}

function addId(set: ValueSet, id: string): void {
  set.ids.add(id);
  keepSorted(set, id);
}

/** Adds a new id to the set's sorted list, if it has one. */
function keepSorted(set: IdSet, id: string): void {
  const sorted = set.sorted;
  if (sorted === undefined) return;
  if (sorted.length < MAINTAINED_SORT_LIMIT) sorted.splice(firstAfter(sorted, id), 0, id);
  else set.sorted = undefined;
}

function removeFromSet(set: ValueSet, id: string): void {
  set.ids.delete(id);
  dropSorted(set, id);
}

/** Removes an id from the set's sorted list, if it has one. */
function dropSorted(set: IdSet, id: string): void {
  const sorted = set.sorted;
  if (sorted === undefined) return;
  if (sorted.length <= MAINTAINED_SORT_LIMIT) {
    const at = firstAfter(sorted, id) - 1;
    if (sorted[at] === id) sorted.splice(at, 1);
  } else {
    set.sorted = undefined;
  }
}

function removeId(byValue: Map<Scalar, ValueSet>, key: Scalar, id: string): void {
  const set = byValue.get(key)!;
  removeFromSet(set, id);
  // Values come and go (ids of deleted groups, past emails): keep no empty sets behind.
  if (set.ids.size === 0) byValue.delete(key);
}

function sortedIds(set: IdSet): readonly string[] {
  set.sorted ??= [...set.ids.keys()].sort();
  return set.sorted;
}

const NONE: readonly string[] = [];

/**
 * The sorted ids of the smallest id set that every match must be in (see `smallestSet`). The
 * other filtered fields are checked per document by `matches`.
 */
function candidates(state: CollectionState, filter: Filter): readonly string[] {
  const set = smallestSet(state, filter);
  if (set === undefined) return NONE;
  return set === ONE_ID ? [filter._id as string] : sortedIds(set);
}

/**
 * The ids of the documents matching `filter`, in no order: a replaceWhere needs no order, and
 * sorting there would make every rebuild pay for it (and keep the sorted list up after).
 */
function matchingIds(state: CollectionState, filter: Filter): string[] {
  const set = smallestSet(state, filter);
  if (set === undefined) return [];
  const ids = set === ONE_ID ? [filter._id as string] : set.ids.keys();
  const matching: string[] = [];
  for (const id of ids) {
    if (matches(state.documents.get(id)!, filter)) matching.push(id);
  }
  return matching;
}

/** Stands for the one id named by an `_id` filter, when that document exists. */
const ONE_ID = Symbol('one id');

/**
 * The smallest id set every match must be in: the one id when the filter names `_id`, else the
 * smallest set of the filtered field values, else the whole collection; undefined when a
 * filtered value has no set, so nothing can match.
 */
function smallestSet(state: CollectionState, filter: Filter): IdSet | typeof ONE_ID | undefined {
  if ('_id' in filter) {
    const id = filter._id;
    return typeof id === 'string' && state.documents.has(id) ? ONE_ID : undefined;
  }
  let smallest: IdSet | undefined;
  for (const field in filter) {
    const index = state.indexes.get(field)!;
    ensureBuilt(state, index);
    const set = index.byValue.get(filter[field]);
    if (set === undefined) return undefined;
    if (smallest === undefined || set.ids.size < smallest.ids.size) smallest = set;
  }
  return smallest ?? state.all;
}

function matches(document: Document, filter: Filter): boolean {
  for (const field in filter) {
    if (indexKey(document[field]) !== filter[field]) return false;
  }
  return true;
}

/** The index of the first id sorting after `after` (binary search). */
function firstAfter(ids: readonly string[], after: string | undefined): number {
  if (after === undefined) return 0;
  let low = 0;
  let high = ids.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (ids[middle] <= after) low = middle + 1;
    else high = middle;
  }
  return low;
}
