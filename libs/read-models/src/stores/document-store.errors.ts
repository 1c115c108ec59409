/**
 * Errors every DocumentStore adapter throws alike, so callers (the projector, the query
 * service, health checks) handle them without knowing which adapter runs.
 */

export type DocumentStoreUsageCode =
  | 'UNKNOWN_COLLECTION'
  | 'UNINDEXED_FILTER'
  | 'INVALID_FILTER'
  | 'INVALID_DOCUMENT'
  | 'INVALID_REQUEST';

/**
 * A programming error: a collection the store was not built with, a filter on a field that is
 * not indexed, a document that is not plain JSON. Thrown before any change is made, and not
 * worth retrying. A TypeError, as the event store's programming errors are (ADR 8).
 */
export class DocumentStoreUsageError extends TypeError {
  constructor(
    readonly code: DocumentStoreUsageCode,
    message: string,
  ) {
    super(message);
    this.name = 'DocumentStoreUsageError';
  }
}

/**
 * The store cannot do the work now: the server is unreachable, the transaction could not
 * commit, or the store was closed. Nothing of the failed `apply` is kept; it may be retried.
 */
export class DocumentStoreUnavailableError extends Error {
  readonly code = 'DOCUMENT_STORE_UNAVAILABLE';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'DocumentStoreUnavailableError';
  }
}
