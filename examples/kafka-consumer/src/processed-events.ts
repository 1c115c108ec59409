/**
 * Which event ids this consumer has already handled. Delivery is at least once (a publisher
 * retry, a consumer-group rebalance), so every consumer deduplicates by the event id (`ce_id`).
 *
 * In production keep it where the side effects live — a table with the event id as primary
 * key, written in the same transaction as the consumer's own changes — so "handled" and "marked"
 * cannot diverge. The in-memory version below is for trying the example out.
 */
export interface ProcessedEvents {
  has(eventId: string): Promise<boolean>;
  add(eventId: string): Promise<void>;
}

/** Remembers the last `capacity` ids; enough for redeliveries, which arrive close together. */
export class InMemoryProcessedEvents implements ProcessedEvents {
  private readonly ids = new Set<string>();

  constructor(private readonly capacity = 100_000) {}

  async has(eventId: string): Promise<boolean> {
    return this.ids.has(eventId);
  }

  async add(eventId: string): Promise<void> {
    this.ids.add(eventId);
    if (this.ids.size > this.capacity) {
      const oldest = this.ids.values().next().value;
      if (oldest !== undefined) this.ids.delete(oldest);
    }
  }
}

export const PROCESSED_EVENTS = Symbol('ProcessedEvents');
