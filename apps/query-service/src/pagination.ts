import { BadRequestException } from '@nestjs/common';
import { freezeWithJson, IdentityCache } from '#libs/http';
import type { Document, DocumentStore, Filter } from '#libs/read-models';

export const DEFAULT_PAGE_SIZE = 100;
export const MAX_PAGE_SIZE = 500;

export interface Page<T> {
  items: T[];
  /** Pass as `?cursor=` for the next page; null on the last one. */
  nextCursor: string | null;
}

export interface PageRequest {
  limit: number;
  after?: string;
}

/** `?limit=` and `?cursor=` (opaque to clients: the last document's id, base64url). */
export function pageRequest(query: { limit?: unknown; cursor?: unknown }): PageRequest {
  const limit = query.limit === undefined ? DEFAULT_PAGE_SIZE : Number(query.limit);
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE_SIZE) {
    throw new BadRequestException({
      code: 'INVALID_LIMIT',
      message: `limit must be an integer from 1 to ${MAX_PAGE_SIZE}.`,
    });
  }
  if (query.cursor === undefined) return { limit };
  if (typeof query.cursor !== 'string' || !/^[A-Za-z0-9_-]{1,700}$/.test(query.cursor)) {
    throw new BadRequestException({
      code: 'INVALID_CURSOR',
      message: 'cursor must be a value returned as nextCursor.',
    });
  }
  return { limit, after: Buffer.from(query.cursor, 'base64url').toString('utf8') };
}

/** One page of a collection, without the internal `_id`. */
export async function findPage<T>(
  store: DocumentStore,
  collection: string,
  filter: Filter,
  page: PageRequest,
  view: (document: Document) => T = withoutId as (document: Document) => T,
): Promise<Page<T>> {
  // One more than asked tells whether there is a next page without a second query.
  const documents = await store.find(collection, filter, {
    limit: page.limit + 1,
    after: page.after,
  });
  const items = documents.slice(0, page.limit);
  const nextCursor =
    documents.length > page.limit
      ? Buffer.from(items[items.length - 1]._id, 'utf8').toString('base64url')
      : null;
  return { items: items.map(view), nextCursor };
}

/**
 * Frozen views of frozen documents, so a read of the same document hands out the same view.
 * At most twice this many are kept (IdentityCache), each with its JSON: some 30 MiB at worst,
 * forty pages of 500 of what is read most.
 */
const views = new IdentityCache<Document, Omit<Document, '_id'>>(20_000);

/**
 * The document without its internal `_id`. A frozen document (the in-memory store hands its
 * documents out frozen) gets one frozen view for as long as it lives, with its JSON attached
 * (freezeWithJson), so a page of them is serialised without serialising them again; any other
 * gets a fresh copy, as before.
 */
export function withoutId(document: Document): Omit<Document, '_id'> {
  if (!Object.isFrozen(document)) return copyWithoutId(document);
  let view = views.get(document);
  if (view === undefined) {
    view = freezeWithJson(copyWithoutId(document));
    views.set(document, view);
  }
  return view;
}

function copyWithoutId({ _id, ...rest }: Document): Omit<Document, '_id'> {
  void _id;
  return rest;
}

/** The named query parameters that are present, as equality filters. */
export function stringFilters(query: Record<string, unknown>, names: readonly string[]): Filter {
  const filter: Filter = {};
  for (const name of names) {
    const value = query[name];
    if (typeof value === 'string' && value.length > 0 && value.length <= 200) filter[name] = value;
  }
  return filter;
}
