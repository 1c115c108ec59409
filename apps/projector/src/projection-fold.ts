import { START, type Position, type RecordedEvent } from '#libs/event-store';
import {
  AccessGraphs,
  checkpointName,
  type DocumentChange,
  type ProjectedEvent,
  type Projection,
} from '#libs/read-models';

/** Document changes ready to be applied in one `DocumentStore.apply`. */
export interface Batch {
  changes: DocumentChange[];
  /** The projections that projected events of this batch: their checkpoints move to `position`. */
  checkpoints: string[];
  /** Position of the batch's last event. */
  position: Position;
  /** Events projected into this batch. */
  events: number;
}

/**
 * The synchronous heart of the projector: folds every organization's state with the domain's
 * own `evolve` and collects the document changes of the projections, one event at a time.
 * No I/O, so the projector can batch, retry and stop around it freely.
 *
 * A projection projects only events after the checkpoint it had when the fold started; the
 * events up to it are folded and nothing more. That is what lets one projection be rebuilt
 * from 0 while the others keep their place, and a restarted projector resume where each
 * projection stopped.
 */
const EVOLVE = 'the organization evolve';

export class ProjectionFold {
  /** Per projection: projects events strictly after this position (fixed at start). */
  private readonly from: bigint[];
  /** Per projection: position its documents have been applied up to. */
  private readonly at: bigint[];
  private readonly lowestFrom: bigint;
  private readonly highestFrom: bigint;
  private changes: DocumentChange[] = [];
  private projected = 0;
  private last: RecordedEvent | undefined;
  private folded: Position = START;

  constructor(
    private readonly projections: readonly Projection[],
    checkpoints: readonly Position[],
    /** Where the organizations' states are folded; the checks read them too (R31). */
    private readonly graphs: AccessGraphs = new AccessGraphs(),
    /** Where `graphs` already stand: every event up to it is folded in them (restored). */
    resumedAt: Position = START,
  ) {
    this.folded = resumedAt;
    this.from = checkpoints.map((checkpoint) => BigInt(checkpoint));
    this.at = [...this.from];
    this.lowestFrom = this.from.reduce((a, b) => (b < a ? b : a), this.from[0] ?? 0n);
    this.highestFrom = this.from.reduce((a, b) => (b > a ? b : a), this.from[0] ?? 0n);
  }

  /**
   * Folds one event (events must come in global order, each once). Each projection still
   * behind it sees it twice: `scope` on the state before, `project` on the state after —
   * evolve updates the state in place, so whatever `project` needs of the past must be taken
   * in `scope`. Returns the event's position; throws ProjectionFailedError.
   */
  handle(event: RecordedEvent): bigint {
    const position = BigInt(event.position);
    const before = this.graphs.stateBefore(event);
    const domainEvent = event as unknown as ProjectedEvent;
    const active = this.activeFor(position);
    // Which code is running, to name it if it throws.
    let running = EVOLVE;
    try {
      if (active.length === 0) {
        this.graphs.apply(event);
      } else {
        const scopes: unknown[] = [];
        for (const projection of active) {
          running = projection.name;
          scopes.push(projection.scope(domainEvent, before));
        }
        running = EVOLVE;
        const after = this.graphs.apply(event);
        // Collected apart and added only once every projection succeeded: a batch never holds
        // part of an event.
        const changes: DocumentChange[] = [];
        for (let i = 0; i < active.length; i++) {
          running = active[i].name;
          for (const change of active[i].project(domainEvent, scopes[i], after)) {
            changes.push(change);
          }
        }
        for (const change of changes) this.changes.push(change);
        this.projected += 1;
        this.last = event;
      }
    } catch (cause) {
      throw new ProjectionFailedError(running, event, { cause });
    }
    this.folded = event.position;
    return position;
  }

  /** Events projected since the last `take`. */
  get pending(): number {
    return this.projected;
  }

  /** Position of the last event folded. */
  get foldedPosition(): Position {
    return this.folded;
  }

  /** Takes what has been projected since the last call, or undefined when nothing was. */
  take(): Batch | undefined {
    if (this.last === undefined) return undefined;
    const position = BigInt(this.last.position);
    const batch: Batch = {
      changes: this.changes,
      checkpoints: this.projections.filter((_, i) => this.from[i] < position).map(checkpointName),
      position: this.last.position,
      events: this.projected,
    };
    this.changes = [];
    this.projected = 0;
    this.last = undefined;
    return batch;
  }

  /** Records that a batch is durable in the document store. */
  applied(batch: Batch): void {
    const position = BigInt(batch.position);
    this.projections.forEach((projection, i) => {
      if (batch.checkpoints.includes(checkpointName(projection)) && this.at[i] < position) {
        this.at[i] = position;
      }
    });
  }

  /** The position every projection's documents have been applied up to (the lowest checkpoint). */
  appliedPosition(): Position {
    if (this.at.length === 0) return this.folded;
    return String(this.at.reduce((a, b) => (b < a ? b : a), this.at[0] ?? 0n));
  }

  private activeFor(position: bigint): readonly Projection[] {
    // The common cases, checked first so a rebuild does not filter per event.
    if (position > this.highestFrom) return this.projections;
    if (position <= this.lowestFrom) return [];
    return this.projections.filter((_, i) => this.from[i] < position);
  }
}

/**
 * A projection (or the domain's evolve) threw on an event. Retrying cannot help — the same
 * code on the same event throws again — and skipping the event would leave the read models
 * wrong without a trace, so the projector stops here.
 */
export class ProjectionFailedError extends Error {
  readonly code = 'PROJECTION_FAILED';
  constructor(
    readonly projection: string,
    readonly event: Pick<RecordedEvent, 'id' | 'type' | 'position'>,
    options: { cause: unknown },
  ) {
    super(
      `${projection} failed on event ${event.id} (${event.type}) at position ${event.position}; ` +
        'nothing from this event on was applied. Fix the code and restart the projector: it resumes from this event.',
      options,
    );
    this.name = 'ProjectionFailedError';
  }
}
