import type { Position } from '#libs/event-store';
import type {
  CollectionIndexes,
  Document,
  DocumentChange,
  Filter,
  FindOptions,
  Scalar,
} from '../document-store.port.js';
import { DocumentStoreUsageError } from './document-store.errors.js';

/**
 * Checks shared by every adapter, so that a request one adapter refuses is refused by all of
 * them, before anything is written.
 */

/** Where the adapters keep checkpoints; no collection may take the name. */
export const CHECKPOINTS = '_checkpoints';

/**
 * Collection names become SQLite table names and MongoDB collection names, field names become
 * SQLite JSON paths and MongoDB query keys: plain identifiers only, so neither can inject SQL or
 * a query operator (`$where`). A leading underscore is reserved for the stores' own tables.
 */
const COLLECTION_NAME = /^[A-Za-z][A-Za-z0-9_]*$/;
const FIELD_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const POSITION = /^(0|[1-9][0-9]*)$/;

/** MongoDB refuses documents nested deeper than 100 levels; the others refuse them too. */
const MAX_DEPTH = 100;

/** The collections a store was built with, and the fields each indexes (never `_id`). */
export class Catalog {
  readonly collections: ReadonlyMap<string, readonly string[]>;
  private readonly indexed: ReadonlyMap<string, ReadonlySet<string>>;

  constructor(indexes: CollectionIndexes) {
    const collections = new Map<string, readonly string[]>();
    for (const [collection, fields] of Object.entries(indexes)) {
      if (!COLLECTION_NAME.test(collection)) {
        throw new DocumentStoreUsageError(
          'INVALID_REQUEST',
          `Collection name "${collection}" must be a letter followed by letters, digits or underscores.`,
        );
      }
      for (const field of fields) checkFieldName(collection, field);
      // `_id` is the primary key everywhere already.
      collections.set(
        collection,
        [...new Set(fields)].filter((field) => field !== '_id'),
      );
    }
    this.collections = collections;
    this.indexed = new Map(
      [...collections].map(([collection, fields]) => [collection, new Set(fields)]),
    );
  }

  /** The indexed fields of `collection`; refuses a collection the store was not built with. */
  fields(collection: string): readonly string[] {
    const fields = this.collections.get(collection);
    if (fields === undefined) {
      throw new DocumentStoreUsageError(
        'UNKNOWN_COLLECTION',
        `Unknown collection "${collection}": declare it in the CollectionIndexes the store is built with.`,
      );
    }
    return fields;
  }

  /**
   * Filters may name `_id` and the collection's indexed fields only, so that no query scans a
   * whole collection, in production or here, and a missing index declaration fails in the first
   * test rather than slowing production down.
   */
  checkFilter(collection: string, filter: Filter): void {
    this.fields(collection);
    const indexed = this.indexed.get(collection)!;
    if (typeof filter !== 'object' || filter === null || Array.isArray(filter)) {
      throw new DocumentStoreUsageError('INVALID_FILTER', 'A filter must be an object.');
    }
    for (const [field, value] of Object.entries(filter)) {
      if (field !== '_id' && !indexed.has(field)) {
        throw new DocumentStoreUsageError(
          'UNINDEXED_FILTER',
          `Field "${field}" of collection "${collection}" is not indexed: add it to the collection's declared fields to filter by it.`,
        );
      }
      if (field === '_id' && typeof value !== 'string') {
        throw new DocumentStoreUsageError('INVALID_FILTER', 'An _id filter must be a string.');
      }
      if (!isScalar(value)) {
        // Also what keeps an object such as { $ne: null } from reaching MongoDB as an operator.
        throw new DocumentStoreUsageError(
          'INVALID_FILTER',
          `Filter value for "${field}" must be a string, a finite number, a boolean or null.`,
        );
      }
    }
  }

  checkFind(collection: string, filter: Filter, options: FindOptions): void {
    this.checkFilter(collection, filter);
    if (!Number.isSafeInteger(options.limit) || options.limit < 0) {
      throw new DocumentStoreUsageError(
        'INVALID_REQUEST',
        `limit must be a non-negative integer, not ${String(options.limit)}.`,
      );
    }
    if (options.after !== undefined && typeof options.after !== 'string') {
      throw new DocumentStoreUsageError('INVALID_REQUEST', 'after must be a document id.');
    }
  }

  /**
   * Validates a whole `apply` before any of it is written, and returns the changes with every
   * document normalised (see `normaliseDocument`).
   */
  checkApply(
    changes: readonly DocumentChange[],
    checkpoints: readonly string[],
    position: Position,
    freeze: boolean,
  ): DocumentChange[] {
    checkPosition(position);
    for (const name of checkpoints) checkCheckpointName(name);
    return changes.map((change): DocumentChange => {
      switch (change?.type) {
        case 'put':
          this.fields(change.collection);
          return { ...change, document: normaliseDocument(change.document, freeze) };
        case 'delete':
          this.fields(change.collection);
          if (typeof change.id !== 'string') {
            throw new DocumentStoreUsageError('INVALID_REQUEST', 'A delete needs a string id.');
          }
          return change;
        case 'replaceWhere':
          this.checkFilter(change.collection, change.filter);
          return {
            ...change,
            documents: change.documents.map((document) => normaliseDocument(document, freeze)),
          };
        default:
          throw new DocumentStoreUsageError(
            'INVALID_REQUEST',
            `Unknown change type "${String((change as { type?: unknown })?.type)}".`,
          );
      }
    });
  }

  checkReset(collections: readonly string[], checkpoints: readonly string[]): void {
    for (const collection of collections) this.fields(collection);
    for (const name of checkpoints) checkCheckpointName(name);
  }
}

export function checkCheckpointName(name: string): void {
  if (typeof name !== 'string' || name === '') {
    throw new DocumentStoreUsageError(
      'INVALID_REQUEST',
      'A checkpoint name must be a non-empty string.',
    );
  }
}

function checkPosition(position: Position): void {
  if (typeof position !== 'string' || !POSITION.test(position)) {
    throw new DocumentStoreUsageError(
      'INVALID_REQUEST',
      `A position is a decimal string, not ${JSON.stringify(position)}.`,
    );
  }
}

function checkFieldName(collection: string, field: string): void {
  if (!FIELD_NAME.test(field) || field === '__proto__') {
    throw new DocumentStoreUsageError(
      'INVALID_REQUEST',
      `Field name "${field}" of collection "${collection}" must be a plain identifier.`,
    );
  }
}

export function isScalar(value: unknown): value is Scalar {
  return (
    value === null ||
    typeof value === 'string' ||
    typeof value === 'boolean' ||
    (typeof value === 'number' && Number.isFinite(value))
  );
}

/**
 * A deep copy of `document` holding plain JSON only, frozen when `freeze` is set; refuses what
 * JSON, SQLite and BSON would each store differently or not at all (bigint, Date, Map, class
 * instances, functions, NaN, cycles), so every adapter stores and returns the same thing.
 * Properties set to `undefined` are dropped, as JSON.stringify drops them; `-0` becomes `0`.
 * The copy also means the caller can go on mutating its object without reaching the store.
 */
export function normaliseDocument(document: Document, freeze: boolean): Document {
  if (typeof document !== 'object' || document === null || Array.isArray(document)) {
    throw invalidDocument(undefined, 'it is not an object');
  }
  if (typeof document._id !== 'string' || document._id === '') {
    throw invalidDocument(undefined, '_id must be a non-empty string');
  }
  if (typeof document.organizationId !== 'string') {
    throw invalidDocument(document._id, 'organizationId must be a string');
  }
  const copy = copyJson(document, 0, freeze);
  if (copy === NOT_JSON) {
    const problem = findProblem(document, '', 0)!;
    throw invalidDocument(document._id, `${problem.path || 'the document'} is ${problem.what}`);
  }
  return copy as Document;
}

/**
 * Returned (not thrown) by the copy when a value is not JSON, so the hot path has no try/catch
 * per property; `findProblem` then walks again to name the place, which only failures pay.
 */
const NOT_JSON = Symbol('not JSON');

function copyJson(value: unknown, depth: number, freeze: boolean): unknown {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return value;
    case 'number':
      return Number.isFinite(value) ? (value === 0 ? 0 : value) : NOT_JSON;
    case 'object': {
      if (value === null) return null;
      if (depth >= MAX_DEPTH) return NOT_JSON;
      if (Array.isArray(value)) {
        const copy = new Array<unknown>(value.length);
        for (let i = 0; i < value.length; i++) {
          const item = value[i] === undefined ? NOT_JSON : copyJson(value[i], depth + 1, freeze);
          if (item === NOT_JSON) return NOT_JSON;
          copy[i] = item;
        }
        return freeze ? Object.freeze(copy) : copy;
      }
      const prototype = Object.getPrototypeOf(value) as unknown;
      if (prototype !== Object.prototype && prototype !== null) return NOT_JSON;
      const object = value as Record<string, unknown>;
      const copy: Record<string, unknown> = {};
      const keys = Object.keys(object);
      for (let i = 0; i < keys.length; i++) {
        const key = keys[i];
        const field = object[key];
        if (field === undefined) continue;
        const copied = copyJson(field, depth + 1, freeze);
        if (copied === NOT_JSON) return NOT_JSON;
        // Assigning `__proto__` would set the copy's prototype instead of a property.
        if (key === '__proto__') {
          Object.defineProperty(copy, key, {
            value: copied,
            enumerable: true,
            writable: true,
            configurable: true,
          });
        } else {
          copy[key] = copied;
        }
      }
      return freeze ? Object.freeze(copy) : copy;
    }
    default:
      return NOT_JSON;
  }
}

/** Where and what the first value `copyJson` refuses is. */
function findProblem(
  value: unknown,
  path: string,
  depth: number,
): { path: string; what: string } | undefined {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return undefined;
    case 'number':
      return Number.isFinite(value) ? undefined : { path, what: `the non-finite number ${value}` };
    case 'object': {
      if (value === null) return undefined;
      if (depth >= MAX_DEPTH) return { path, what: `nested more than ${MAX_DEPTH} levels deep` };
      if (Array.isArray(value)) {
        for (let i = 0; i < value.length; i++) {
          const problem =
            value[i] === undefined
              ? { path: `${path}[${i}]`, what: 'undefined (or a hole), which is not JSON' }
              : findProblem(value[i], `${path}[${i}]`, depth + 1);
          if (problem) return problem;
        }
        return undefined;
      }
      const prototype = Object.getPrototypeOf(value) as unknown;
      if (prototype !== Object.prototype && prototype !== null) {
        const kind = (value.constructor as { name?: string } | undefined)?.name ?? 'non-plain';
        return { path, what: `a ${kind} object, which is not plain JSON` };
      }
      for (const [key, field] of Object.entries(value)) {
        if (field === undefined) continue;
        const problem = findProblem(field, path ? `${path}.${key}` : key, depth + 1);
        if (problem) return problem;
      }
      return undefined;
    }
    default:
      return { path, what: `a ${typeof value}, which is not JSON` };
  }
}

function invalidDocument(id: string | undefined, reason: string): DocumentStoreUsageError {
  const which = id === undefined ? 'A document' : `Document "${id}"`;
  return new DocumentStoreUsageError(
    'INVALID_DOCUMENT',
    `${which} cannot be stored: ${reason}. Documents hold plain JSON only.`,
  );
}
