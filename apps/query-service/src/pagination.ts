import { BadRequestException } from '@nestjs/common';
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

export function withoutId({ _id, ...rest }: Document): Omit<Document, '_id'> {
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
