import {
  comparePositions,
  START,
  type EventStore,
  type Position,
  type RecordedEvent,
  type Subscription,
} from '#libs/event-store';
import {
  AccessGraphs,
  checkpointName,
  documentBuildersOf,
  type DocumentChange,
  type DocumentStore,
  type Projection,
} from '#libs/read-models';
import { organizationDecider } from '#libs/domain';
import { backoffDelay, DEFAULT_BACKOFF, sleep, type BackoffOptions } from '#libs/backoff';
import { describeError } from './log-safe.js';
import { PositionWaiters } from './position-waiters.js';
import { ProjectionFold, type Batch } from './projection-fold.js';
import {
  consoleLogger,
  type ProjectorLogger,
  type ProjectorOptions,
  type ProjectorStatus,
} from './projector.options.js';

/** Documents a bulk rebuild writes per apply (one transaction). */
const BULK_CHUNK = 20_000;

/**
 * Keeps the read models in step with the event store: subscribes to every event from position
 * 0, folds each organization's state with the domain's `evolve`, and applies the projections'
 * document changes in batches, each batch and the checkpoints it moves in one
 * `DocumentStore.apply` (so after a crash a batch happened entirely or not at all).
 *
 * Why fold from 0 on every start, even when the checkpoints are recent: projections compute
 * documents from the organization's state after each event, and that state is not persisted
 * anywhere (no snapshots). Folding the whole history again rebuilds exactly the state the
 * previous process had at each position — events are immutable and evolve is deterministic —
 * so projecting resumes right after each checkpoint as if nothing had happened. The cost is
 * one pass over the history at every start: CPU and a read of the store, no writes (events up
 * to a checkpoint are folded, not projected); about a second per million events on the
 * embedded store (bench/projection-rebuild.bench.ts), memory for every organization's state.
 * Persisted snapshots would make restarts O(events since the snapshot) if that ever matters.
 *
 * Single use: start() once, stop() once.
 */
export class Projector {
  private readonly batchSize: number;
  private readonly maxBatchDelayMs: number;
  private readonly clock: () => number;
  private readonly logger: ProjectorLogger;
  private readonly backoff: BackoffOptions;
  private readonly waiters = new PositionWaiters();
  private readonly abort = new AbortController();

  private fold: ProjectionFold | undefined;
  private subscription: Subscription | undefined;
  private subscriptionFailures = 0;
  private currentStatus: ProjectorStatus = 'stopped';
  private stopping = false;
  /** A batch was given up at stop: nothing after it may be applied, or it would be skipped. */
  private abandoned = false;
  /** The chain of applies: one at a time, in order. Never rejects. */
  private applying: Promise<void> = Promise.resolve();
  private cancelScheduledFlush: (() => void) | undefined;
  private target: Position = START;
  private targetValue = 0n;
  private events = 0;
  private startedAt = 0;
  private readonly graphs: AccessGraphs;
  private lastSnapshotAt = -Infinity;
  private resumed: Position = START;
  /** The chain of snapshot saves (FoldSnapshots.save). Never rejects. */
  private saving: Promise<void> = Promise.resolve();
  /**
   * A bulk rebuild under way (every checkpoint at START): the history up to `target` is only
   * folded, then every read model is written once from the folded states (writeBulk).
   */
  private bulk: { queued: boolean } | undefined;
  private caughtUp = deferred();

  constructor(
    private readonly eventStore: EventStore,
    private readonly documentStore: DocumentStore,
    private readonly projections: readonly Projection[],
    private readonly options: ProjectorOptions,
  ) {
    if (!Number.isInteger(options.batchSize) || options.batchSize < 1) {
      throw new RangeError(`batchSize must be a positive integer, not ${options.batchSize}.`);
    }
    const names = new Set(projections.map((projection) => projection.name));
    if (names.size !== projections.length) {
      throw new RangeError('Projection names must be unique: they name the checkpoints.');
    }
    this.batchSize = options.batchSize;
    this.maxBatchDelayMs = Math.max(0, options.maxBatchDelayMs);
    this.clock = options.clock ?? (() => performance.now());
    this.logger = options.logger ?? consoleLogger;
    this.backoff = options.backoff ?? DEFAULT_BACKOFF;
    this.graphs = options.graphs ?? new AccessGraphs();
    // start() may be awaited by nobody when it fails: keep that from being an unhandled rejection.
    this.caughtUp.promise.catch(() => undefined);
  }

  /**
   * Reads the checkpoints, catches up with the store's head as it was at this call, and
   * resolves once the read models have applied up to it; then keeps following new events.
   * Rejects if a projection fails or stop() is called first.
   */
  async start(): Promise<void> {
    if (this.fold || this.stopping) throw new Error('A Projector starts once; create a new one.');
    this.startedAt = this.clock();
    this.currentStatus = 'catching-up';
    const checkpoints = await Promise.all(
      this.projections.map((projection) =>
        this.documentStore.checkpoint(checkpointName(projection)),
      ),
    );
    await this.resetUnbuilt(checkpoints);
    this.resumed = await this.restore(checkpoints);
    this.target = await this.eventStore.headPosition();
    this.targetValue = BigInt(this.target);
    const fresh = this.projections.length > 0 && checkpoints.every((c) => c === START);
    if (fresh && this.target !== START && this.options.bulkRebuild !== false && this.buildable()) {
      this.bulk = { queued: false };
      // Every projection "starts" at the target: the events up to it are folded, not projected.
      this.fold = new ProjectionFold(
        this.projections,
        checkpoints.map(() => this.target),
        this.graphs,
      );
    } else {
      this.fold = new ProjectionFold(this.projections, checkpoints, this.graphs, this.resumed);
    }
    if (this.stopping) throw new Error('The projector was stopped before it caught up.');
    this.checkCaughtUp();
    this.subscribe();
    await this.caughtUp.promise;
  }

  /**
   * Empties the collections of every projection with no checkpoint: a new version of it (the
   * documents of the old one must go) or a build that never finished. It is then built from
   * position 0 while the others resume where they were.
   */
  private async resetUnbuilt(checkpoints: readonly Position[]): Promise<void> {
    const unbuilt = this.projections.filter((_, i) => checkpoints[i] === START);
    if (unbuilt.length === 0) return;
    const collections = unbuilt.flatMap((projection) => Object.keys(projection.collections));
    await this.documentStore.reset(collections, unbuilt.map(checkpointName));
    if (unbuilt.length < this.projections.length) {
      this.logger.log(
        `Rebuilding ${unbuilt.map(checkpointName).join(', ')} from position 0; the other read models resume from their checkpoints.`,
      );
    }
  }

  /**
   * With snapshots, every organization folded up to the lowest checkpoint from its newest
   * snapshot; the position the fold then stands at (START without snapshots: fold it all).
   */
  private async restore(checkpoints: readonly Position[]): Promise<Position> {
    const snapshots = this.options.snapshots;
    if (!snapshots || checkpoints.length === 0) return START;
    const lowest = checkpoints.reduce((a, b) => (comparePositions(b, a) < 0 ? b : a));
    if (lowest === START) return START;
    const started = this.clock();
    const organizations = await snapshots.fold.restore(this.graphs, this.documentStore, lowest);
    this.logger.log(
      `Resumed ${organizations} organizations at position ${lowest} from their snapshots in ${Math.round(this.clock() - started)} ms.`,
    );
    return lowest;
  }

  /** Snapshots what was folded since the last time, when due (or `now`); one save at a time. */
  private snapshot(now = false): void {
    const snapshots = this.options.snapshots;
    if (!snapshots) return;
    const at = this.clock();
    if (!now && at - this.lastSnapshotAt < snapshots.everyMs) return;
    this.lastSnapshotAt = at;
    this.saving = this.saving
      .then(() => snapshots.fold.save(this.graphs))
      .then(
        () => undefined,
        (error: unknown) => this.logger.warn(`Snapshots not saved: ${describeError(error)}`),
      );
  }

  /** Where this start's fold began: the position restored from snapshots, START when none. */
  resumedAt(): Position {
    return this.resumed;
  }

  /** Position every read model has been applied up to (the lowest projection checkpoint). */
  position(): Position {
    if (this.bulk) return START;
    return this.fold?.appliedPosition() ?? START;
  }

  status(): ProjectorStatus {
    return this.currentStatus;
  }

  /**
   * Resolves true as soon as every read model has applied up to `position` (R35
   * `?minPosition=`), false after `timeoutMs` or if the projector stops or fails first.
   * Rejects a position that is not a decimal integer.
   */
  waitFor(position: Position, timeoutMs: number): Promise<boolean> {
    if (!/^\d+$/.test(position)) {
      return Promise.reject(new RangeError(`A position is a decimal integer, not "${position}".`));
    }
    if (comparePositions(this.position(), position) >= 0) return Promise.resolve(true);
    if (this.stopping || this.currentStatus === 'failed') return Promise.resolve(false);
    return this.waiters.wait(position, timeoutMs);
  }

  /**
   * How far the read models trail the store: head position minus applied position, in the
   * store's position units — events on the embedded SQLite store, bytes of the transaction log
   * on EventStoreDB (compare it with 0, or a bound in the same units).
   */
  async lag(): Promise<number> {
    const head = BigInt(await this.eventStore.headPosition());
    const behind = head - BigInt(this.position());
    return behind > 0n ? Number(behind) : 0;
  }

  /**
   * Stops following the store, applies what was already projected (one attempt: a failure
   * only means those events are projected again at the next start), and releases waiters.
   */
  async stop(): Promise<void> {
    if (this.stopping) return;
    this.stopping = true;
    this.abort.abort();
    this.cancelScheduledFlush?.();
    await this.subscription?.close();
    this.subscription = undefined;
    await this.applying;
    const rest = this.currentStatus === 'failed' || this.abandoned ? undefined : this.fold?.take();
    if (rest) {
      try {
        await this.documentStore.apply(rest.changes, rest.checkpoints, rest.position);
        this.applied(rest);
      } catch (error) {
        this.logger.warn(
          `Stopping: the last ${rest.events} events (up to position ${rest.position}) were not applied (${describeError(error)}); they are projected again at the next start.`,
        );
      }
    }
    if (this.currentStatus !== 'failed' && !this.abandoned) this.snapshot(true);
    await this.saving;
    if (this.currentStatus !== 'failed') this.currentStatus = 'stopped';
    this.waiters.releaseAll();
    this.caughtUp.reject(new Error('The projector was stopped before it caught up.'));
  }

  private subscribe(): void {
    const fold = this.fold!;
    this.subscription = this.eventStore.subscribe(
      { from: fold.foldedPosition },
      (event) => this.onEvent(event),
      (error) => this.onSubscriptionError(error),
    );
  }

  private onEvent(event: RecordedEvent): void | Promise<void> {
    if (this.stopping) return;
    const fold = this.fold!;
    let position: bigint;
    try {
      position = fold.handle(event);
    } catch (error) {
      this.fail(error);
      // Thrown on so the subscription stops here rather than deliver the next event.
      throw error;
    }
    this.subscriptionFailures = 0;
    this.events += 1;
    if (this.bulk && !this.bulk.queued && position >= this.targetValue) {
      this.bulk.queued = true;
      this.applying = this.applying.then(() => this.writeBulk());
      // Returned: the subscription waits, so the states written are exactly those at the target.
      return this.applying;
    }
    if (this.events % this.batchSize === 0) this.reportProgress();
    const reachedTarget = this.currentStatus === 'catching-up' && position >= this.targetValue;
    if (reachedTarget) this.checkCaughtUp();
    if (fold.pending >= this.batchSize || (reachedTarget && fold.pending > 0)) {
      // Returned, so the subscription waits for the apply: memory stays bounded by one batch.
      return this.flush();
    }
    if (fold.pending > 0) this.scheduleFlush();
  }

  private onSubscriptionError(error: unknown): void {
    this.subscription = undefined;
    if (this.stopping || this.currentStatus === 'failed') return;
    this.subscriptionFailures += 1;
    const delay = backoffDelay(this.subscriptionFailures, this.backoff);
    const from = this.fold!.foldedPosition;
    this.logger.warn(
      `The event store subscription failed (${describeError(error)}); resubscribing after position ${from} in ${delay} ms.`,
    );
    // Events already folded stay in the fold (applied or pending): resuming after the last one
    // folded neither skips nor repeats any.
    void sleep(delay, this.abort.signal).then(() => {
      if (!this.stopping) this.subscribe();
    });
  }

  private scheduleFlush(): void {
    if (this.cancelScheduledFlush) return;
    const run = () => {
      this.cancelScheduledFlush = undefined;
      void this.flush();
    };
    if (this.maxBatchDelayMs === 0) {
      const immediate = setImmediate(run);
      this.cancelScheduledFlush = () => clearImmediate(immediate);
    } else {
      const timer = setTimeout(run, this.maxBatchDelayMs);
      this.cancelScheduledFlush = () => clearTimeout(timer);
    }
  }

  /** Takes what has been projected and queues it behind the applies already under way. */
  private flush(): Promise<void> {
    this.cancelScheduledFlush?.();
    this.cancelScheduledFlush = undefined;
    const batch = this.fold?.take();
    if (batch) this.applying = this.applying.then(() => this.applyWithRetry(batch));
    return this.applying;
  }

  /** Retries until the batch is durable: later batches wait, so no event is ever skipped. */
  private async applyWithRetry(batch: Batch): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      if (this.abandoned || (this.stopping && attempt > 1)) {
        this.abandoned = true;
        return;
      }
      try {
        await this.documentStore.apply(batch.changes, batch.checkpoints, batch.position);
        break;
      } catch (error) {
        const delay = backoffDelay(attempt, this.backoff);
        this.logger.warn(
          `Applying ${batch.events} events up to position ${batch.position} failed (${describeError(error)}), attempt ${attempt}; retrying in ${delay} ms. Later events wait for it.`,
        );
        await sleep(delay, this.abort.signal);
      }
    }
    this.applied(batch);
    // Lets timers, I/O and signals in between batches: a long catch-up would otherwise run
    // as one chain of microtasks and hold the event loop for its whole length.
    await new Promise<void>((resolve) => setImmediate(resolve));
  }

  /** Whether every collection of the projections has a documentsOf builder (bulk rebuilds). */
  private buildable(): boolean {
    const builders = documentBuildersOf(organizationDecider.initialState());
    return this.projections.every((projection) =>
      Object.keys(projection.collections).every((collection) => collection in builders),
    );
  }

  /**
   * The end of a bulk rebuild: every read model written from the folded states by the
   * projections' own documentsOf (what they build event by event equals it: the specs check
   * it), in chunks, the checkpoints moved to the target with the last one. A crash before that
   * leaves them at START: the next start empties the collections (resetUnbuilt) and builds again.
   */
  private async writeBulk(): Promise<void> {
    try {
      const owned = new Set(this.projections.flatMap((p) => Object.keys(p.collections)));
      const names = this.projections.map(checkpointName);
      let changes: DocumentChange[] = [];
      for (const organizationId of this.graphs.organizationIds()) {
        const folded = this.graphs.get(organizationId);
        if (!folded) continue;
        const builders = documentBuildersOf(folded.state);
        for (const collection of owned) {
          for (const document of builders[collection]()) {
            changes.push({ type: 'put', collection, document });
          }
        }
        if (changes.length >= BULK_CHUNK) {
          await this.documentStore.apply(changes, [], this.target);
          changes = [];
          await new Promise<void>((resolve) => setImmediate(resolve));
        }
      }
      await this.documentStore.apply(changes, names, this.target);
      this.bulk = undefined;
      this.waiters.advance(this.position());
      this.reportProgress();
      this.checkCaughtUp();
    } catch (error) {
      this.fail(error);
    }
  }

  private applied(batch: Batch): void {
    this.fold!.applied(batch);
    this.waiters.advance(this.position());
    this.reportProgress();
    this.checkCaughtUp();
    this.snapshot();
  }

  private checkCaughtUp(): void {
    if (this.currentStatus !== 'catching-up' || !this.fold) return;
    const folded = BigInt(this.fold.foldedPosition) >= this.targetValue;
    if (folded && comparePositions(this.position(), this.target) >= 0) {
      this.currentStatus = 'live';
      this.reportProgress();
      this.snapshot(true);
      this.caughtUp.resolve();
    }
  }

  private fail(error: unknown): void {
    this.currentStatus = 'failed';
    this.logger.error(error instanceof Error ? error.message : describeError(error));
    this.waiters.releaseAll();
    this.caughtUp.reject(error);
  }

  private reportProgress(): void {
    if (!this.options.onProgress || !this.fold) return;
    this.options.onProgress({
      events: this.events,
      folded: this.fold.foldedPosition,
      applied: this.position(),
      target: this.target,
      elapsedMs: this.clock() - this.startedAt,
      caughtUp: this.currentStatus === 'live',
    });
  }
}

function deferred(): {
  promise: Promise<void>;
  resolve: () => void;
  reject: (error: unknown) => void;
} {
  let resolve!: () => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}
