import type { EventMetadata, Position, RecordedEvent } from '#libs/event-store';

/**
 * What travels in the metadata of every event a command sent with an `Idempotency-Key`
 * appends (R37): the key, hashed with its caller's identity so keys of two callers never meet
 * and the raw key never leaves the request, and a fingerprint of the request it came with.
 */
export type IdempotencyClaim = NonNullable<EventMetadata['idempotency']>;

/** The first result of a command sent with an Idempotency-Key: enough to answer a retry. */
export interface RememberedCommand {
  fingerprint: string;
  events: { id: string; type: string }[];
  /** Global position of the command's last event (R35). */
  position: Position;
  /** Stream revision of the command's last event. */
  revision: number;
  /** When the store recorded it, in ms since the epoch. */
  recordedAt: number;
}

/**
 * The commands recently appended to one stream with an Idempotency-Key, rebuilt from the
 * events' metadata whenever the stream is folded. Because the claim is written in the same
 * atomic append as the command's events, a retry finds it after a crash between the append
 * and the answer, and on any instance reading the same store (ADR 13).
 *
 * Bounded twice: entries older than `ttlMs` are forgotten when asked for, and beyond
 * `maxEntries` the oldest go first, so a stream's window costs memory in proportion to its
 * recent retried traffic, not its history.
 */
export class RecentCommands {
  private readonly byKey = new Map<string, RememberedCommand>();

  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries = 10_000,
  ) {}

  /** Folds one stored event in; events of one command are contiguous (one append). */
  record(event: RecordedEvent): void {
    const claim = event.metadata.idempotency;
    if (!claim) return;
    const known = this.byKey.get(claim.key);
    if (known && known.fingerprint === claim.fingerprint && known.revision === event.revision - 1) {
      known.events.push({ id: event.id, type: event.type });
      known.position = event.position;
      known.revision = event.revision;
      return;
    }
    this.remember(claim.key, {
      fingerprint: claim.fingerprint,
      events: [{ id: event.id, type: event.type }],
      position: event.position,
      revision: event.revision,
      recordedAt: Date.parse(event.recordedAt),
    });
  }

  /** Remembers a command this process has just appended (the fold would find the same). */
  recordAppended(claim: IdempotencyClaim, command: Omit<RememberedCommand, 'fingerprint'>): void {
    this.remember(claim.key, { fingerprint: claim.fingerprint, ...command });
  }

  /** The remembered command for `key`, unless it is older than the window. */
  find(key: string, now: number): RememberedCommand | undefined {
    const remembered = this.byKey.get(key);
    if (remembered && now - remembered.recordedAt > this.ttlMs) {
      this.byKey.delete(key);
      return undefined;
    }
    return remembered;
  }

  /** The window as it stands, oldest first, for a snapshot of the stream (ADR 19). */
  entries(): [key: string, command: RememberedCommand][] {
    return [...this.byKey];
  }

  /** A window holding `entries` (as `entries()` gave them), as the fold that made them would. */
  static restore(
    ttlMs: number,
    entries: Iterable<[key: string, command: RememberedCommand]>,
    maxEntries?: number,
  ): RecentCommands {
    const recent = new RecentCommands(ttlMs, maxEntries);
    for (const [key, command] of entries) recent.remember(key, command);
    return recent;
  }

  private remember(key: string, command: RememberedCommand): void {
    this.byKey.delete(key);
    this.byKey.set(key, command);
    if (this.byKey.size > this.maxEntries) {
      const oldest = this.byKey.keys().next().value;
      if (oldest !== undefined) this.byKey.delete(oldest);
    }
  }
}
