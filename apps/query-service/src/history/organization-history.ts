import { Inject, Injectable } from '@nestjs/common';
import { DomainError, organizationStream, type OrganizationState } from '#libs/domain';
import { comparePositions, type EventStore, type RecordedEvent } from '#libs/event-store';
import type { Provenance } from '#libs/access';
import { ApiError } from '#libs/http';
import { AccessGraphs } from '#libs/read-models';
import { HISTORY_STORE } from '../tokens.js';
import type { AsOf } from './as-of.js';

/** An organization as it was at a past point (R33), and the point it reflects. */
export interface PastOrganization {
  state: OrganizationState;
  provenance: Provenance;
  /** Global position of the last event folded: what the answer reflects. */
  position: string;
  /** When that event was recorded. */
  time: string;
}

/**
 * R33: an organization folded up to a past point by the same code as the present — the domain's
 * evolve and the engine's provenance, through AccessGraphs — so an answer "as of" comes from
 * the very projection and access code that answers now. A time before the organization's first
 * event is 404 (it did not exist); a time or position beyond now is 400.
 */
@Injectable()
export class OrganizationHistory {
  constructor(@Inject(HISTORY_STORE) private readonly store: EventStore) {}

  async at(organizationId: string, asOf: AsOf, now = Date.now()): Promise<PastOrganization> {
    const events = await this.store.readStream(organizationStream(organizationId));
    if (events.length === 0) throw notFound();
    if (asOf.kind === 'time' && asOf.time > now) throw inTheFuture();
    if (
      asOf.kind === 'position' &&
      comparePositions(asOf.position, await this.store.headPosition()) > 0
    ) {
      throw inTheFuture();
    }
    const graphs = new AccessGraphs();
    let last: RecordedEvent | undefined;
    for (const event of events) {
      if (!reached(event, asOf)) break;
      graphs.apply(event);
      last = event;
    }
    const folded = graphs.get(organizationId);
    if (!last || !folded) throw notFound();
    return {
      state: folded.state,
      provenance: folded.provenance,
      position: last.position,
      time: last.recordedAt,
    };
  }
}

/** Whether `event` is at or before the point asked for. */
function reached(event: RecordedEvent, asOf: AsOf): boolean {
  return asOf.kind === 'position'
    ? comparePositions(event.position, asOf.position) <= 0
    : Date.parse(event.recordedAt) <= asOf.time;
}

const notFound = () =>
  new DomainError(
    'not_found',
    'ORGANIZATION_NOT_FOUND',
    'No such organization at that point of its history.',
  );

const inTheFuture = () =>
  new ApiError(400, 'AS_OF_IN_THE_FUTURE', 'asOf is later than now: ask about a past point.');
