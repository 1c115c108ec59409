import type { Position } from '#libs/event-store';
import type { BackoffOptions } from '#libs/backoff';
import type { AccessGraphs } from '#libs/read-models';
import type { FoldSnapshots } from './fold-snapshots.js';

/** Where the projector reports; Nest's `Logger` fits as it is. */
export interface ProjectorLogger {
  log(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

/** How far a projector has got, for progress bars and logs during long catch-ups. */
export interface ProjectorProgress {
  /** Events folded since start(). */
  events: number;
  /** Position of the last event folded. */
  folded: Position;
  /** Position every projection's documents have been applied up to. */
  applied: Position;
  /** The store's head when start() was called: where the initial catch-up ends. */
  target: Position;
  /** Milliseconds since start(), by the projector's clock. */
  elapsedMs: number;
  caughtUp: boolean;
}

/**
 * `catching-up` until start() resolves, then `live`; `failed` when a projection threw (a bug:
 * the projector stops rather than skip the event); `stopped` before start and after stop.
 */
export type ProjectorStatus = 'stopped' | 'catching-up' | 'live' | 'failed';

export interface ProjectorOptions {
  /** Most events projected into one `DocumentStore.apply` (one transaction). */
  batchSize: number;
  /**
   * Longest a live event waits for its batch to fill before it is applied anyway. 0 applies as
   * soon as the subscription has delivered what is there (the next turn of the event loop).
   */
  maxBatchDelayMs: number;
  /** Milliseconds, for progress timing. Defaults to `performance.now`. */
  clock?: () => number;
  /** Defaults to the console. */
  logger?: ProjectorLogger;
  /** Called about every `batchSize` events folded, after every apply, and once caught up. */
  onProgress?: (progress: ProjectorProgress) => void;
  /** Delays between retries of a failed apply or subscription. */
  backoff?: BackoffOptions;
  /** Where the organizations are folded, to share them with the checks (R31); its own if unset. */
  graphs?: AccessGraphs;
  /**
   * Snapshots of the folds (ADR 20): restored at start up to the read models' checkpoints,
   * so a restart folds only the events after the newest snapshots; saved at most every
   * `everyMs` while projecting, once caught up, and at stop. Without them every start folds
   * the whole history (the read models are still resumed, not rebuilt).
   */
  snapshots?: { fold: FoldSnapshots; everyMs: number };
  /**
   * When every checkpoint is at START (a first start, `npm run rebuild`) and every collection
   * has a documentsOf builder: fold the history up to the head without projecting it, then
   * write every read model once from the folded states (default). False projects event by
   * event, as a catch-up does.
   */
  bulkRebuild?: boolean;
}

export const consoleLogger: ProjectorLogger = {
  log: (message) => console.log(`[Projector] ${message}`),
  warn: (message) => console.warn(`[Projector] ${message}`),
  error: (message) => console.error(`[Projector] ${message}`),
};
