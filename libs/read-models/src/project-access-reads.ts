import type { OrganizationState } from '#libs/domain';
import type { Position } from '#libs/event-store';
import type {
  Document,
  DocumentChange,
  DocumentStore,
  Filter,
  FindOptions,
} from './document-store.port.js';
import { Collections } from './documents.js';
import {
  impliedProjectAccessRows,
  mergeRows,
  newImpliedRowsMemo,
  type ImpliedRowsMemo,
} from './projections/implied-project-access.js';

/**
 * The organization state the implied rows are computed from (undefined: none yet), and the
 * position it stands at: given, the rows are computed once per project and position.
 */
export type StateOf = (
  organizationId: string,
) => { state: OrganizationState; position?: Position } | undefined;

/**
 * A document store as the reads see it (ADR 22): every collection as stored, and project_access
 * as its stored rows merged, in `_id` order, with the rows the engine implies for org admins
 * and workspace editors and admins (impliedProjectAccessRows) over the state the reader is
 * judged on — now, or a past point (R33). Listings, the member's projects and the user-project
 * CSV (R28, R30) read through it, so they answer as if every row were stored. Writes go to the
 * store underneath: only the projector writes.
 */
export class ProjectAccessReads implements DocumentStore {
  /** Per organization, the implied rows computed at one position of its state. */
  private readonly memos = new Map<
    string,
    { state: OrganizationState; position: Position; memo: ImpliedRowsMemo }
  >();

  constructor(
    private readonly store: DocumentStore,
    private readonly stateOf: StateOf,
  ) {}

  async get(collection: string, id: string): Promise<Document | undefined> {
    const stored = await this.store.get(collection, id);
    if (stored || collection !== Collections.projectAccess) return stored;
    // `<organizationId>:<projectId>:<userId>`, each an id without a colon.
    const [organizationId, projectId, userId, ...rest] = id.split(':');
    if (userId === undefined || rest.length > 0) return undefined;
    const [row] = this.implied({ organizationId, projectId, userId });
    return row;
  }

  async find(collection: string, filter: Filter, options: FindOptions): Promise<Document[]> {
    const stored = await this.store.find(collection, filter, options);
    if (collection !== Collections.projectAccess) return stored;
    // The stored page holds every stored row of the merged page: at most `limit` of either.
    const page: Document[] = [];
    for (const row of mergeRows(stored, this.implied(filter, options.after))) {
      if (page.length === options.limit) break;
      page.push(row);
    }
    return page;
  }

  async *scan(collection: string, filter: Filter): AsyncIterable<Document> {
    if (collection !== Collections.projectAccess) {
      yield* this.store.scan(collection, filter);
      return;
    }
    // The stored scan and the implied rows, merged as they come: one row held at a time.
    const implied = this.implied(filter)[Symbol.iterator]();
    let next = implied.next();
    for await (const row of this.store.scan(collection, filter)) {
      while (!next.done && next.value._id < row._id) {
        yield next.value;
        next = implied.next();
      }
      if (!next.done && next.value._id === row._id) next = implied.next();
      yield row;
    }
    for (; !next.done; next = implied.next()) yield next.value;
  }

  checkpoint(name: string): Promise<Position> {
    return this.store.checkpoint(name);
  }

  apply(
    changes: readonly DocumentChange[],
    checkpoints: readonly string[],
    position: Position,
  ): Promise<void> {
    return this.store.apply(changes, checkpoints, position);
  }

  reset(collections: readonly string[], checkpoints: readonly string[]): Promise<void> {
    return this.store.reset(collections, checkpoints);
  }

  close(): Promise<void> {
    return this.store.close();
  }

  private implied(filter: Filter, after?: string): Iterable<Document> {
    const organizationId = filter.organizationId;
    const at = typeof organizationId === 'string' ? this.stateOf(organizationId) : undefined;
    if (!at) return [];
    return impliedProjectAccessRows(
      at.state,
      filter,
      after,
      this.memoOf(organizationId as string, at),
    ) as Iterable<unknown> as Iterable<Document>;
  }

  /** The memo of the state at its position; a fresh one once either has moved. */
  private memoOf(
    organizationId: string,
    at: { state: OrganizationState; position?: Position },
  ): ImpliedRowsMemo | undefined {
    if (at.position === undefined) return undefined;
    const kept = this.memos.get(organizationId);
    if (kept && kept.state === at.state && kept.position === at.position) return kept.memo;
    const memo = newImpliedRowsMemo();
    this.memos.set(organizationId, { state: at.state, position: at.position, memo });
    return memo;
  }
}
