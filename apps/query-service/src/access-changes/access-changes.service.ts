import { Inject, Injectable } from '@nestjs/common';
import { DomainError, organizationDecider, organizationStream } from '#libs/domain';
import { comparePositions, START, type EventStore, type RecordedEvent } from '#libs/event-store';
import { ApiError } from '#libs/http';
import type { AsOf } from '../history/as-of.js';
import { OrganizationHistory } from '../history/organization-history.js';
import { HISTORY_STORE } from '../tokens.js';
import { AccessChangeFold, type AccessChange } from './access-change-fold.js';

/** One end of the window, as answered: the last event it reflects and the instant judged at. */
export interface WindowPoint {
  /** Global position of the organization's last event at that point; `0` before it existed. */
  position: string;
  /**
   * The instant access is judged at: the one asked, or the time of the event at the position;
   * null for a position before the organization existed (nothing to judge).
   */
  time: string | null;
}

export interface AccessChangeReport {
  from: WindowPoint;
  to: WindowPoint;
  /** Sorted by subject, kind and item. */
  changes: AccessChange[];
}

/**
 * R39 over the event store: the organization at `from` comes from the history reader (R33's
 * fold, snapshots when it has them), the window's events from the organization's stream, and
 * AccessChangeFold diffs them. `from` before the organization existed is the empty organization
 * — a review of a quarter in which it was created lists everything granted since — while `to`
 * before it is 404 (there is nothing to review); either in the future is 400 (R33).
 */
@Injectable()
export class AccessChangesService {
  constructor(
    @Inject(HISTORY_STORE) private readonly store: EventStore,
    private readonly history: OrganizationHistory,
  ) {}

  async between(
    organizationId: string,
    from: AsOf,
    to: AsOf,
    now = Date.now(),
  ): Promise<AccessChangeReport> {
    if (from.kind === to.kind && !strictlyBefore(from, to)) throw emptyWindow();
    const events = await this.store.readStream(organizationStream(organizationId));
    if (events.length === 0) throw notFound();
    const head = await this.store.headPosition();
    for (const [point, name] of [
      [from, 'from'],
      [to, 'to'],
    ] as const) {
      const future =
        point.kind === 'time' ? point.time > now : comparePositions(point.position, head) > 0;
      if (future) {
        throw new ApiError(
          400,
          'AS_OF_IN_THE_FUTURE',
          `${name} is later than now: ask about a past point.`,
          { fields: [name] },
        );
      }
    }
    const toIndex = lastReached(events, to);
    if (toIndex < 0) throw notFound();
    const fromIndex = lastReached(events, from);
    if (fromIndex > toIndex) throw emptyWindow();

    const past = fromIndex < 0 ? undefined : await this.history.at(organizationId, from, now);
    // The fold evolves the state in place, and the history may still encode the state it
    // returned into a snapshot on a later turn (ADR 19): fold a copy.
    const state = past ? structuredClone(past.state) : organizationDecider.initialState();
    const fromPoint: WindowPoint = {
      position: past?.position ?? START,
      time: from.kind === 'time' ? new Date(from.time).toISOString() : (past?.time ?? null),
    };
    const last = events[toIndex];
    const toTime = to.kind === 'time' ? new Date(to.time).toISOString() : last.recordedAt;
    const toPoint: WindowPoint = { position: last.position, time: toTime };
    if (fromPoint.time !== null && Date.parse(fromPoint.time) > Date.parse(toTime)) {
      throw emptyWindow();
    }
    // Before the organization there is no key to judge: any instant will do.
    const fold = new AccessChangeFold(state, fromPoint.time ?? toTime);
    for (const event of events.slice(fromIndex + 1, toIndex + 1)) {
      if (comparePositions(event.position, fromPoint.position) > 0) fold.apply(event);
    }
    return { from: fromPoint, to: toPoint, changes: fold.finish(toTime) };
  }
}

function strictlyBefore(from: AsOf, to: AsOf): boolean {
  if (from.kind === 'position' && to.kind === 'position') {
    return comparePositions(from.position, to.position) < 0;
  }
  return from.kind === 'time' && to.kind === 'time' && from.time < to.time;
}

/** Index of the last event at or before the point; -1 when the organization did not exist yet. */
function lastReached(events: RecordedEvent[], point: AsOf): number {
  let index = -1;
  for (let i = 0; i < events.length; i++) {
    const reached =
      point.kind === 'position'
        ? comparePositions(events[i].position, point.position) <= 0
        : Date.parse(events[i].recordedAt) <= point.time;
    if (!reached) break;
    index = i;
  }
  return index;
}

const emptyWindow = () =>
  new ApiError(400, 'INVALID_ACCESS_CHANGES_WINDOW', 'from must be earlier than to.', {
    fields: ['from', 'to'],
  });

const notFound = () =>
  new DomainError(
    'not_found',
    'ORGANIZATION_NOT_FOUND',
    'No such organization at that point of its history.',
  );
