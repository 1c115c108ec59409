import {
  comparePositions,
  START,
  type EventStore,
  type Position,
  type RecordedEvent,
  type Subscription,
} from '#libs/event-store';
import { toCloudEvent, type CloudEvent } from '#libs/messaging';
import { backoffDelay, DEFAULT_BACKOFF, sleep, type BackoffOptions } from '#libs/backoff';
import type { CheckpointStore } from './checkpoint-store.js';
import type { Publisher } from './publisher.port.js';

export interface RelayLogger {
  log(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export interface PublisherRelayOptions {
  /** The checkpoint's name; one per relay publishing the store. Default `publisher`. */
  name?: string;
  /** Events per publish call. Default 500. */
  batchSize?: number;
  backoff?: BackoffOptions;
  toEnvelope?: (event: RecordedEvent) => CloudEvent;
  logger?: RelayLogger;
}

export type RelayStatus = 'stopped' | 'running' | 'retrying' | 'failed';

/** How far behind the broker is: the publish lag on /metrics (ADR 26). */
export interface RelayLag {
  status: RelayStatus;
  /** Position of the last event the broker acknowledged (and the checkpoint holds). */
  checkpoint: Position;
  head: Position;
  /** head - checkpoint: events on SQLite (row ids), log bytes on EventStoreDB. */
  positionsBehind: number;
  /** Read from the store, not yet acknowledged. */
  pendingEvents: number;
  publishedEvents: number;
  failedAttempts: number;
  consecutiveFailures: number;
  /** When (Date.now()) the first of the current run of failed publish attempts began. */
  failingSince?: number;
  lastError?: string;
}

class Stopped extends Error {}

const silent: RelayLogger = { log: () => {}, warn: () => {}, error: () => {} };

/**
 * Store -> broker, at least once and in order. Subscribes from its checkpoint, publishes in
 * batches, and saves the checkpoint only after the broker acknowledged a batch. A failed batch
 * is retried with exponential backoff, the same batch, for as long as it takes: nothing is
 * skipped and nothing overtakes it, because the subscription waits (backpressure) while the
 * buffer is full. A crash or stop loses only unacknowledged work, which is read again.
 */
export class PublisherRelay {
  private readonly name: string;
  private readonly batchSize: number;
  private readonly backoff: BackoffOptions;
  private readonly toEnvelope: (event: RecordedEvent) => CloudEvent;
  private readonly logger: RelayLogger;

  private subscription: Subscription | undefined;
  private buffer: RecordedEvent[] = [];
  private inFlight = 0;
  private draining: Promise<void> | undefined;
  private flushScheduled = false;
  private backingOff: AbortController | undefined;
  private checkpoint: Position = START;
  private state: RelayStatus = 'stopped';
  private published = 0;
  private failedAttempts = 0;
  private consecutiveFailures = 0;
  private failingSince: number | undefined;
  private lastError: string | undefined;

  constructor(
    private readonly store: EventStore,
    private readonly publisher: Publisher,
    private readonly checkpoints: CheckpointStore,
    options: PublisherRelayOptions = {},
  ) {
    this.name = options.name ?? 'publisher';
    this.batchSize = options.batchSize ?? 500;
    this.backoff = options.backoff ?? DEFAULT_BACKOFF;
    this.toEnvelope = options.toEnvelope ?? ((event) => toCloudEvent(event));
    this.logger = options.logger ?? silent;
  }

  get status(): RelayStatus {
    return this.state;
  }

  async start(): Promise<void> {
    if (this.state !== 'stopped') return;
    this.checkpoint = (await this.checkpoints.load(this.name)) ?? START;
    this.state = 'running';
    this.subscribe();
    this.logger.log(`Publishing events after position ${this.checkpoint}.`);
  }

  /** Stops reading and publishing; what the broker has not acknowledged is read again next start. */
  async stop(): Promise<void> {
    if (this.state === 'stopped') return;
    this.state = 'stopped';
    this.backingOff?.abort();
    await this.subscription?.close();
    this.subscription = undefined;
    await this.draining?.catch(() => {});
    this.buffer = [];
  }

  async lag(): Promise<RelayLag> {
    const head = await this.store.headPosition();
    const behind = BigInt(head) - BigInt(this.checkpoint);
    return {
      status: this.state,
      checkpoint: this.checkpoint,
      head,
      positionsBehind: Number(behind > 0n ? behind : 0n),
      pendingEvents: this.buffer.length + this.inFlight,
      publishedEvents: this.published,
      failedAttempts: this.failedAttempts,
      consecutiveFailures: this.consecutiveFailures,
      ...(this.failingSince !== undefined ? { failingSince: this.failingSince } : {}),
      ...(this.lastError ? { lastError: this.lastError } : {}),
    };
  }

  /** Resolves once the checkpoint has reached `position` (tests, benches, graceful shutdown). */
  async waitFor(position: Position, timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (comparePositions(this.checkpoint, position) < 0) {
      if (this.state === 'failed' || this.state === 'stopped') {
        throw new Error(`The relay is ${this.state} at ${this.checkpoint}, short of ${position}.`);
      }
      if (Date.now() > deadline) {
        throw new Error(
          `The relay reached ${this.checkpoint}, not ${position}, in ${timeoutMs} ms.`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  }

  private subscribe(): void {
    this.subscription = this.store.subscribe(
      { from: this.checkpoint },
      (event) => this.accept(event),
      (error) => void this.resubscribe(error),
    );
  }

  /** The subscription's handler: buffers, and holds the subscription back while the buffer is full. */
  private async accept(event: RecordedEvent): Promise<void> {
    if (this.halted()) return;
    this.buffer.push(event);
    if (this.buffer.length >= this.batchSize) {
      await this.drain();
    } else if (!this.flushScheduled) {
      // Let the subscription deliver what it has already read (a page), then publish it together.
      this.flushScheduled = true;
      setImmediate(() => {
        this.flushScheduled = false;
        void this.drain().catch(() => {});
      });
    }
  }

  /** Publishes the buffer batch by batch; one drain at a time, so batches never overtake. */
  private drain(): Promise<void> {
    this.draining ??= this.drainLoop().finally(() => {
      this.draining = undefined;
    });
    return this.draining;
  }

  private async drainLoop(): Promise<void> {
    try {
      while (this.buffer.length > 0 && this.state !== 'stopped' && this.state !== 'failed') {
        const batch = this.buffer.splice(0, this.batchSize);
        this.inFlight = batch.length;
        await this.publishUntilAcknowledged(batch);
        const last = batch[batch.length - 1].position;
        await this.checkpoints.save(this.name, last);
        this.checkpoint = last;
        this.published += batch.length;
        this.inFlight = 0;
      }
    } catch (error) {
      this.inFlight = 0;
      if (!(error instanceof Stopped)) this.fail(error);
    }
  }

  private async publishUntilAcknowledged(batch: RecordedEvent[]): Promise<void> {
    // Mapping errors (an event type this release does not know) are not retried: they would
    // fail forever, and skipping the event would lose it for every consumer. Stop, loudly.
    const envelopes = batch.map(this.toEnvelope);
    for (;;) {
      if (this.halted('stopped')) throw new Stopped();
      try {
        await this.publisher.publish(envelopes);
        if (this.consecutiveFailures > 0) {
          this.logger.log(`The broker is back after ${this.consecutiveFailures} failed attempts.`);
        }
        this.consecutiveFailures = 0;
        this.failingSince = undefined;
        this.state = 'running';
        return;
      } catch (error) {
        if (this.halted('stopped')) throw new Stopped();
        this.failedAttempts += 1;
        this.consecutiveFailures += 1;
        this.failingSince ??= Date.now();
        this.lastError = (error as Error).message;
        this.state = 'retrying';
        const delay = backoffDelay(this.consecutiveFailures, this.backoff);
        this.logger.warn(
          `Publishing ${envelopes.length} events after ${this.checkpoint} failed (${this.lastError}); retrying in ${delay} ms.`,
        );
        this.backingOff = new AbortController();
        await sleep(delay, this.backingOff.signal);
        this.backingOff = undefined;
      }
    }
  }

  /** The store failed under the subscription: start again from the checkpoint, after a pause. */
  private async resubscribe(error: unknown): Promise<void> {
    if (this.halted()) return;
    this.consecutiveFailures += 1;
    this.lastError = (error as Error).message;
    const delay = backoffDelay(this.consecutiveFailures, this.backoff);
    this.logger.warn(
      `Reading the event store failed (${this.lastError}); resubscribing in ${delay} ms.`,
    );
    await this.draining?.catch(() => {});
    this.backingOff = new AbortController();
    await sleep(delay, this.backingOff.signal);
    this.backingOff = undefined;
    if (this.halted()) return;
    this.buffer = [];
    this.subscribe();
  }

  /** Read through a method: the state changes across awaits, which narrowing cannot see. */
  private halted(...states: RelayStatus[]): boolean {
    const halting = states.length > 0 ? states : ['stopped', 'failed'];
    return halting.includes(this.state);
  }

  private fail(error: unknown): void {
    this.state = 'failed';
    this.lastError = (error as Error).message;
    this.buffer = [];
    this.logger.error(`The publisher stopped at position ${this.checkpoint}: ${this.lastError}`);
    void this.subscription?.close();
  }
}
