import type { Document, DocumentChange, Filter } from '../document-store.port.js';

/** The document shapes of documents.ts are interfaces, hence not indexable: widened here once. */
type Shaped = { _id: string; organizationId: string };

export const put = (collection: string, document: Shaped): DocumentChange => ({
  type: 'put',
  collection,
  document: document as unknown as Document,
});

export const remove = (collection: string, id: string): DocumentChange => ({
  type: 'delete',
  collection,
  id,
});

export const replaceWhere = (
  collection: string,
  filter: Filter,
  documents: Shaped[],
): DocumentChange => ({
  type: 'replaceWhere',
  collection,
  filter,
  documents: documents as unknown as Document[],
});

/** `<organizationId>:<part>:...`, so ids never collide across tenants (documents.ts). */
export function docId(organizationId: string, part: string, more?: string): string {
  return more === undefined ? `${organizationId}:${part}` : `${organizationId}:${part}:${more}`;
}
