import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import { DomainError, organizationStream, type OrganizationState } from '#libs/domain';
import { comparePositions, type EventStore, type RecordedEvent } from '#libs/event-store';
import type { Provenance } from '#libs/access';
import { ApiError } from '#libs/http';
import { AccessGraphs } from '#libs/read-models';
import {
  decodeOrganizationHistorySnapshot,
  historySnapshotStream,
  isHistorySnapshotPoint,
  ORGANIZATION_HISTORY_FOLD_VERSION,
  saveHistorySnapshot,
  type Snapshot,
  type SnapshotStore,
} from '#libs/snapshots';
import { HISTORY_READ_CHUNK, HISTORY_SNAPSHOTS, HISTORY_STORE } from '../tokens.js';
import type { AsOf } from './as-of.js';

/** An organization as it was at a past point (R33), and the point it reflects. */
export interface PastOrganization {
  state: OrganizationState;
  provenance: Provenance;
  /** Global position of the last event folded: what the answer reflects. */
  position: string;
  /** When that event was recorded. */
  time: string;
  /** Its stream revision. */
  revision: number;
  /** The latest `recordedAt` folded, in ms (what a snapshot of this fold is asked by instant with). */
  reachedTime: number;
}

/** Where and how often the history snapshots what it folds (ADR 19). */
export interface HistorySnapshots {
  store: SnapshotStore;
  /**
   * Snapshots at least this many events apart (isHistorySnapshotPoint): a read folds at most
   * about that many past its starting point, more on streams longer than 64 of them.
   */
  every: number;
}

/** The fold's starting point: a snapshot and the events after it, or the whole stream. */
interface Start {
  graphs: AccessGraphs;
  /** The last event folded into `graphs` before `rest`; undefined from the first event. */
  last?: { revision: number; position: string; recordedAt: string };
  /** The latest `recordedAt` folded so far, in ms (what a snapshot is asked by instant with). */
  reachedTime?: number;
  /** The first events after the starting point (a chunk of them). */
  rest: RecordedEvent[];
  /** The stream revision to read next, and whether there may be more to read. */
  next: number;
  more: boolean;
}

/** Events read at a time: a read as of a point far behind the head reads up to it, not on. */
const READ_CHUNK = 1_000;

/**
 * R33: an organization folded up to a past point by the same code as the present — the domain's
 * evolve and the engine's provenance, through AccessGraphs — so an answer "as of" comes from
 * the very projection and access code that answers now. A time before the organization's first
 * event is 404 (it did not exist); a time or position beyond now is 400.
 *
 * With snapshots (ADR 19) the fold starts from the newest one at or before the point asked
 * and folds only the events after it; the answer is the same as from the first event. A read
 * that folds past a snapshot point (isHistorySnapshotPoint) leaves a snapshot at the first
 * one, so the snapshots fill the history as it is read, one per point, and stay. A snapshot
 * is encoded where it is taken, so the history keeps no reference to what it answers: the
 * caller owns the state and provenance, and may fold on them in place (the audit log and
 * access changes do).
 */
@Injectable()
export class OrganizationHistory {
  private readonly logger = new Logger('Snapshots');

  constructor(
    @Inject(HISTORY_STORE) private readonly store: EventStore,
    @Optional() @Inject(HISTORY_SNAPSHOTS) private readonly snapshots?: HistorySnapshots,
    /** Tests make it small, to cross chunk boundaries with small histories. */
    @Optional() @Inject(HISTORY_READ_CHUNK) private readonly readChunk = READ_CHUNK,
  ) {}

  async at(organizationId: string, asOf: AsOf, now = Date.now()): Promise<PastOrganization> {
    const stream = organizationStream(organizationId);
    const start = await this.start(organizationId, stream, asOf);
    if (!start.last && start.rest.length === 0) throw notFound();
    if (asOf.kind === 'time' && asOf.time > now) throw inTheFuture();
    if (
      asOf.kind === 'position' &&
      comparePositions(asOf.position, await this.store.headPosition()) > 0
    ) {
      throw inTheFuture();
    }
    const { graphs } = start;
    let last = start.last;
    let reachedTime = start.reachedTime;
    let { rest: chunk, next, more } = start;
    // One snapshot a read at most, at the first point it folds past: a read pays one encode,
    // and reads at random fill the points outward from those already saved.
    let saved = false;
    fold: for (;;) {
      for (const event of chunk) {
        if (!reached(event, asOf)) break fold;
        graphs.apply(event);
        last = event;
        reachedTime = Math.max(reachedTime ?? -Infinity, Date.parse(event.recordedAt));
        if (
          this.snapshots &&
          !saved &&
          isHistorySnapshotPoint(event.revision, this.snapshots.every)
        ) {
          this.save(stream, graphs.get(organizationId), event, reachedTime);
          saved = true;
        }
      }
      if (!more) break;
      chunk = await this.store.readStream(stream, next, this.readChunk);
      next += chunk.length;
      more = chunk.length === this.readChunk;
    }
    const past = graphs.get(organizationId);
    if (!last || !past) throw notFound();
    return {
      state: past.state,
      provenance: past.provenance,
      position: last.position,
      time: last.recordedAt,
      revision: last.revision,
      reachedTime: reachedTime ?? Date.parse(last.recordedAt),
    };
  }

  /**
   * The organization's events after stream revision `revision` (-1: from the first), one chunk
   * of the read size at a time: a reader that stops early has read at most one chunk past where
   * it stopped, and none holds the whole stream. Continues a fold from `at` (its `revision`).
   */
  async *eventsAfter(organizationId: string, revision: number): AsyncGenerator<RecordedEvent[]> {
    const stream = organizationStream(organizationId);
    let next = revision + 1;
    for (;;) {
      const chunk = await this.store.readStream(stream, next, this.readChunk);
      if (chunk.length > 0) yield chunk;
      if (chunk.length < this.readChunk) return;
      next += chunk.length;
    }
  }

  /**
   * The newest usable snapshot at or before `asOf` and the first events after it; the first
   * events of the stream when there is none. A snapshot is used only if the event at its revision is still at its
   * position in the store, so one from another store or a rewritten file is never folded on.
   */
  private async start(organizationId: string, stream: string, asOf: AsOf): Promise<Start> {
    const snapshot = await this.latestSnapshot(stream, asOf);
    if (snapshot) {
      const events = await this.store.readStream(stream, snapshot.revision, this.readChunk + 1);
      const at = events[0];
      if (at?.revision === snapshot.revision && at.position === snapshot.position) {
        try {
          const { state, provenance, lastTime } = decodeOrganizationHistorySnapshot(snapshot.state);
          const graphs = new AccessGraphs();
          graphs.restore(organizationId, {
            state,
            provenance,
            position: snapshot.position,
            revision: snapshot.revision,
            time: lastTime,
            reachedTime: Date.parse(snapshot.time),
          });
          return {
            graphs,
            last: {
              revision: snapshot.revision,
              position: snapshot.position,
              recordedAt: lastTime,
            },
            reachedTime: Date.parse(snapshot.time),
            rest: events.slice(1),
            next: snapshot.revision + events.length,
            more: events.length === this.readChunk + 1,
          };
        } catch (error) {
          this.logger.warn(`History snapshot of ${stream} unreadable: ${(error as Error).message}`);
        }
      } else {
        this.logger.warn(`History snapshot of ${stream} does not match the event store; ignored.`);
      }
    }
    const rest = await this.store.readStream(stream, 0, this.readChunk);
    return {
      graphs: new AccessGraphs(),
      rest,
      next: rest.length,
      more: rest.length === this.readChunk,
    };
  }

  private async latestSnapshot(stream: string, asOf: AsOf): Promise<Snapshot | undefined> {
    if (!this.snapshots) return undefined;
    try {
      // By instant: a snapshot's time is the latest recordedAt it folded, so it is usable
      // exactly when the fold from the first event would have got past it too.
      return await this.snapshots.store.latest(historySnapshotStream(stream), {
        foldVersion: ORGANIZATION_HISTORY_FOLD_VERSION,
        ...(asOf.kind === 'position' ? { maxPosition: asOf.position } : { maxTime: asOf.time }),
      });
    } catch (error) {
      // A snapshot is a cache: without it the answer costs a full fold, and is the same.
      this.logger.warn(`History snapshots unreadable: ${(error as Error).message}`);
      return undefined;
    }
  }

  /**
   * Saves the fold as it is after `last`. It is encoded now, in the read — the fold goes on
   * changing the state — which a read pays once per snapshot point (isHistorySnapshotPoint);
   * the write itself is not awaited.
   */
  private save(
    stream: string,
    folded: { state: OrganizationState; provenance: Provenance } | undefined,
    last: RecordedEvent,
    reachedTime: number,
  ): void {
    const snapshots = this.snapshots;
    if (!snapshots || !folded) return;
    const { revision, position, recordedAt: time } = last;
    const fold = {
      state: folded.state,
      provenance: folded.provenance,
      revision,
      position,
      time,
      reachedTime,
    };
    let written: Promise<void>;
    try {
      written = saveHistorySnapshot(snapshots.store, stream, fold);
    } catch (error) {
      this.logger.warn(`History snapshot of ${stream} not encoded: ${(error as Error).message}`);
      return;
    }
    written.catch((error: unknown) =>
      this.logger.warn(`History snapshot of ${stream} not saved: ${(error as Error).message}`),
    );
  }
}

/** Whether `event` is at or before the point asked for. */
export function reached(event: RecordedEvent, asOf: AsOf): boolean {
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
