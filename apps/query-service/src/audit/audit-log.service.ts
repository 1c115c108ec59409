import { Inject, Injectable } from '@nestjs/common';
import {
  DomainError,
  organizationDecider,
  organizationStream,
  type Actor,
  type OrganizationState,
} from '#libs/domain';
import { comparePositions, type EventStore, type RecordedEvent } from '#libs/event-store';
import { notFound, ReadAccess } from '../read-access.js';
import { HISTORY_STORE } from '../tokens.js';
import { AuditFold, type AuditEntry } from './audit-entry.js';
import { matches, pastTheEnd, type AuditFilter, type AuditPageRequest } from './audit-query.js';

export interface AuditPage {
  items: AuditEntry[];
  /** Pass as `?cursor=` for the next page; null on the last one. */
  nextCursor: string | null;
}

/**
 * Where a fold of an organization starts: a state and the stream revision of the first event
 * not yet in it. The seam for persisted snapshots: today every fold starts from the beginning.
 */
export interface FoldStart {
  state: OrganizationState;
  fromRevision: number;
}

/**
 * R34: an organization's events told as entries — who did what to whom, when, and what caused
 * it — filtered and paged by position. The entries come from the event store itself (the
 * history), never from a read model, so they say exactly what was recorded.
 */
@Injectable()
export class AuditLog {
  constructor(
    @Inject(HISTORY_STORE) private readonly store: EventStore,
    private readonly access: ReadAccess,
  ) {}

  /** R34's readers are the history readers (ReadAccess.readsWholeOrganization); strangers 404 (S1). */
  async authorize(actor: Actor, organizationId: string): Promise<void> {
    const reader = await this.access.resolve(actor, organizationId);
    if (this.access.readsWholeOrganization(reader, new Date().toISOString())) return;
    throw new DomainError(
      'forbidden',
      'AUDIT_LOG_FORBIDDEN',
      'Only org admins (full_access), their keys holding the whole admin namespace, auditors and support read the audit log: ask one of them.',
    );
  }

  /** One page, in position order. */
  async page(organizationId: string, request: AuditPageRequest): Promise<AuditPage> {
    return pageOf(this.entries(organizationId, request.filter, request.after), request.limit);
  }

  /**
   * The organization's entries matching `filter`, after position `after`, one at a time: the
   * exports stream them without holding the log.
   */
  async *entries(
    organizationId: string,
    filter: AuditFilter,
    after?: string,
  ): AsyncGenerator<AuditEntry> {
    const start = await this.foldStart(organizationId);
    const events = await this.store.readStream(
      organizationStream(organizationId),
      start.fromRevision,
    );
    if (events.length === 0 && !start.state.exists) throw notFound();
    const fold = new AuditFold(start.state);
    for (const event of events) {
      if (pastTheEnd(event.position, filter)) return;
      const entry = entryOf(fold, event, filter, after);
      fold.apply(event);
      if (entry) yield entry;
    }
  }

  /**
   * Every organization's entries (support's log), in global order, each told over its own
   * organization's state: one fold per organization, all from one pass over the store.
   */
  async *allEntries(filter: AuditFilter, after?: string): AsyncGenerator<AuditEntry> {
    const folds = new Map<string, AuditFold>();
    for await (const event of this.store.readAll()) {
      if (pastTheEnd(event.position, filter)) return;
      const organizationId = event.metadata.organizationId;
      let fold = folds.get(organizationId);
      if (!fold) folds.set(organizationId, (fold = new AuditFold()));
      const entry = entryOf(fold, event, filter, after);
      fold.apply(event);
      if (entry) yield entry;
    }
  }

  /**
   * The state to fold from. Persisted snapshots plug in here: a snapshot at or before the
   * page's start saves folding the history before it (the cause of a cascade is in the same
   * append as its effect, so a snapshot taken between appends loses no cause).
   */
  private foldStart(organizationId: string): Promise<FoldStart> {
    void organizationId;
    return Promise.resolve({ state: organizationDecider.initialState(), fromRevision: 0 });
  }
}

/** The entry of `event` when it is past `after` and passes the filter; described before it is folded. */
function entryOf(
  fold: AuditFold,
  event: RecordedEvent,
  filter: AuditFilter,
  after: string | undefined,
): AuditEntry | undefined {
  if (after !== undefined && comparePositions(event.position, after) <= 0) return undefined;
  const candidate = AuditFold.candidate(event);
  if (!candidate || !matches(candidate, filter)) return undefined;
  return fold.describe(candidate);
}

/** The first `limit` entries, and whether there are more (one more is read, not a second pass). */
export async function pageOf(
  entries: AsyncGenerator<AuditEntry>,
  limit: number,
): Promise<AuditPage> {
  const items: AuditEntry[] = [];
  let more = false;
  for await (const entry of entries) {
    if (items.length === limit) {
      more = true;
      break;
    }
    items.push(entry);
  }
  await entries.return(undefined);
  return { items, nextCursor: more ? items[items.length - 1].position : null };
}
