import { Inject, Injectable } from '@nestjs/common';
import { DomainError, organizationDecider, organizationStream } from '#libs/domain';
import { comparePositions, START, type EventStore } from '#libs/event-store';
import { ApiError } from '#libs/http';
import type { AsOf } from '../history/as-of.js';
import {
  OrganizationHistory,
  reached,
  type PastOrganization,
} from '../history/organization-history.js';
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
 * fold, snapshots when it has them), the window's events from the organization's stream after
 * it — read once, a chunk at a time, up to `to` — and AccessChangeFold diffs them. `from`
 * before the organization existed is the empty organization — a review of a quarter in which it
 * was created lists everything granted since — while `to` before it is 404 (there is nothing to
 * review); either in the future is 400 (R33).
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
    const [first] = await this.store.readStream(organizationStream(organizationId), 0, 1);
    if (!first) throw notFound();
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
    if (!reached(first, to)) throw notFound();
    // The fold evolves the state in place: the history hands over a state that is ours.
    const past = reached(first, from)
      ? await this.history.at(organizationId, from, now)
      : undefined;
    // `to` must reach every event folded into `from` (a clock may step back: by latest time).
    if (past && !reachesAll(to, past)) throw emptyWindow();
    const fromPoint: WindowPoint = {
      position: past?.position ?? START,
      time: from.kind === 'time' ? new Date(from.time).toISOString() : (past?.time ?? null),
    };
    if (to.kind === 'time') assertOrdered(fromPoint, new Date(to.time).toISOString());

    // Before the organization there is no key to judge: any instant will do.
    const fold = new AccessChangeFold(
      past?.state ?? organizationDecider.initialState(),
      fromPoint.time ?? first.recordedAt,
    );
    let last: { position: string; recordedAt: string } | undefined = past && {
      position: past.position,
      recordedAt: past.time,
    };
    window: for await (const chunk of this.history.eventsAfter(
      organizationId,
      past?.revision ?? -1,
    )) {
      for (const event of chunk) {
        if (!reached(event, to)) break window;
        fold.apply(event);
        last = event;
      }
    }
    // `first` reaches `to`, so the window holds it when nothing came before `from`.
    const end = last!;
    const toTime = to.kind === 'time' ? new Date(to.time).toISOString() : end.recordedAt;
    assertOrdered(fromPoint, toTime);
    return {
      from: fromPoint,
      to: { position: end.position, time: toTime },
      changes: fold.finish(toTime),
    };
  }
}

/** Whether every event folded into `past` is at or before `point`. */
function reachesAll(point: AsOf, past: PastOrganization): boolean {
  return point.kind === 'position'
    ? comparePositions(past.position, point.position) <= 0
    : past.reachedTime <= point.time;
}

/** `from` is judged at an instant no later than `to`'s. */
function assertOrdered(from: WindowPoint, toTime: string): void {
  if (from.time !== null && Date.parse(from.time) > Date.parse(toTime)) throw emptyWindow();
}

function strictlyBefore(from: AsOf, to: AsOf): boolean {
  if (from.kind === 'position' && to.kind === 'position') {
    return comparePositions(from.position, to.position) < 0;
  }
  return from.kind === 'time' && to.kind === 'time' && from.time < to.time;
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
