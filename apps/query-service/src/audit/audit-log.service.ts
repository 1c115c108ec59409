import { Inject, Injectable, Optional } from '@nestjs/common';
import {
  DomainError,
  organizationDecider,
  organizationStream,
  type Actor,
  type OrganizationState,
} from '#libs/domain';
import { comparePositions, type EventStore, type RecordedEvent } from '#libs/event-store';
import type { AsOf } from '../history/as-of.js';
import { OrganizationHistory, reached } from '../history/organization-history.js';
import { notFound, ReadAccess } from '../read-access.js';
import { HISTORY_READ_CHUNK, HISTORY_STORE } from '../tokens.js';
import { AuditFold, type AuditEntry } from './audit-entry.js';
import { matches, pastTheEnd, type AuditFilter, type AuditPageRequest } from './audit-query.js';

export interface AuditPage {
  items: AuditEntry[];
  /** Pass as `?cursor=` for the next page; null on the last one. */
  nextCursor: string | null;
}

/**
 * Where a fold of an organization starts: a state and the stream revision of the last event
 * folded into it (-1: none, the initial state); when that event is inside a request, the ids
 * and types of that request's events up to it.
 */
export interface FoldStart {
  state: OrganizationState;
  revision: number;
  inside?: Run;
}

/** The first events of a run of one correlation id, up to a point: what AuditFold.resume takes. */
interface Run {
  correlationId: string;
  events: { id: string; type: string }[];
}

/** Events read at a time when looking back for where a decision began. */
const READ_CHUNK = 1_000;

/**
 * R34: an organization's events told as entries — who did what to whom, when, and what caused
 * it — filtered and paged by position. The entries come from the event store itself (the
 * history), never from a read model, so they say exactly what was recorded.
 *
 * A page costs what it reads, not the length of the log: the fold starts from the organization
 * as the history (R33, snapshots) knew it just before the page's start, and the stream is read
 * after that point a chunk at a time, until the page is full or the filter's end is passed.
 */
@Injectable()
export class AuditLog {
  constructor(
    @Inject(HISTORY_STORE) private readonly store: EventStore,
    private readonly access: ReadAccess,
    private readonly history: OrganizationHistory,
    /** Tests make it small, to cross chunk boundaries with small histories. */
    @Optional() @Inject(HISTORY_READ_CHUNK) private readonly readChunk = READ_CHUNK,
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
   * exports stream them without holding the log. The events folded before the page's start
   * are not described (entryOf: they are at or before `after`, or before `from`).
   */
  async *entries(
    organizationId: string,
    filter: AuditFilter,
    after?: string,
  ): AsyncGenerator<AuditEntry> {
    const start = await this.foldStart(organizationId, lastPointBefore(filter, after));
    const fold = new AuditFold(start.state);
    if (start.inside) fold.resume(start.inside.correlationId, start.inside.events);
    for await (const chunk of this.history.eventsAfter(organizationId, start.revision)) {
      for (const event of chunk) {
        if (pastTheEnd(event.position, filter)) return;
        const entry = entryOf(fold, event, filter, after);
        fold.apply(event);
        if (entry) yield entry;
      }
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
   * The state to fold from: the organization as the history knew it at `point`. When `point`
   * falls inside a run of one correlation id (the events after it are of the same request),
   * AuditFold needs that request's earlier events — a cascade names its cause among them — so
   * they are read back and handed over (resume); if they remove something, whose name only
   * the state before the removal knew, the fold starts before the run instead. The state is
   * ours to fold on (OrganizationHistory keeps no reference to what it answers).
   */
  private async foldStart(organizationId: string, point: AsOf | undefined): Promise<FoldStart> {
    const stream = organizationStream(organizationId);
    const [first] = await this.store.readStream(stream, 0, 1);
    if (!first) throw notFound();
    const initial = { state: organizationDecider.initialState(), revision: -1 };
    if (!point) return initial;
    if (point.kind === 'position') {
      // A cursor or bound past the head has nothing after it; the history refuses the future.
      const head = await this.store.headPosition();
      if (comparePositions(point.position, head) > 0) point = { kind: 'position', position: head };
    }
    if (!reached(first, point)) return initial;
    // The bounds are filters, not R33's asOf: a `from` in the future is an empty page, not a 400.
    const past = await this.history.at(organizationId, point, Infinity);
    const run = await this.runThrough(stream, past.revision);
    if (!run) return { state: past.state, revision: past.revision };
    if (!run.removes) return { state: past.state, revision: past.revision, inside: run };
    if (!run.before) return initial;
    const before = await this.history.at(organizationId, run.before, Infinity);
    return { state: before.state, revision: before.revision };
  }

  /**
   * The run of one correlation id that the event at `revision` and the one after it share, up
   * to `revision`, read back in chunks; undefined when they do not share one. AuditFold keeps
   * the events of the correlation id being folded — one request's decision, or a chain of
   * requests a caller tied with one X-Correlation-Id (R32) — so a long chain is read back
   * whole, as the fold from the first event would hold it.
   */
  private async runThrough(
    stream: string,
    revision: number,
  ): Promise<(Run & { removes: boolean; before?: AsOf }) | undefined> {
    const [at, next] = await this.store.readStream(stream, revision, 2);
    const correlationId = at.metadata.correlationId;
    if (next?.metadata.correlationId !== correlationId) return undefined;
    // Only ids and types are kept, as AuditFold keeps them: not the events.
    const backwards = [{ id: at.id, type: at.type }];
    let before: AsOf | undefined;
    let earliest = at.revision;
    reading: while (earliest > 0) {
      const from = Math.max(0, earliest - this.readChunk);
      const earlier = await this.store.readStream(stream, from, earliest - from);
      for (let i = earlier.length - 1; i >= 0; i--) {
        if (earlier[i].metadata.correlationId !== correlationId) {
          before = { kind: 'position', position: earlier[i].position };
          break reading;
        }
        backwards.push({ id: earlier[i].id, type: earlier[i].type });
      }
      earliest = from;
    }
    const events = backwards.reverse();
    return {
      correlationId,
      events,
      removes: events.some(({ type }) => AuditFold.remembersTheStateBefore(type)),
      before,
    };
  }
}

/**
 * The last point whose events a page cannot hold, the fold's starting point: the cursor, or
 * just before `from` (positions are integers, and so are recorded times in ms), whichever is
 * later when both are positions. With a cursor and a `from` by time, the cursor: the filter
 * still applies to what is read after it.
 */
function lastPointBefore(filter: AuditFilter, after: string | undefined): AsOf | undefined {
  const { from } = filter;
  let beforeFrom: AsOf | undefined;
  if (from?.kind === 'time') beforeFrom = { kind: 'time', time: from.time - 1 };
  else if (from && BigInt(from.position) > 0n) {
    beforeFrom = { kind: 'position', position: (BigInt(from.position) - 1n).toString() };
  }
  if (after === undefined) return beforeFrom;
  if (beforeFrom?.kind === 'position' && comparePositions(beforeFrom.position, after) > 0) {
    return beforeFrom;
  }
  return { kind: 'position', position: after };
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
