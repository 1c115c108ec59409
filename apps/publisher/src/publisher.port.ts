import type { CloudEvent } from '#libs/messaging';

/**
 * Where the relay hands envelopes: Kafka in production, memory in tests and embedded runs.
 * Adapters pass one contract suite (test/publisher/publisher.contract.ts).
 */
export interface Publisher {
  /**
   * Publishes each envelope as one message, in the given order per organization. Resolves
   * only once the broker acknowledged every one of them; rejects with PublishError otherwise,
   * in which case some may have been written (the relay sends them again: at least once).
   */
  publish(envelopes: readonly CloudEvent[]): Promise<void>;
  close(): Promise<void>;
}

/** The broker did not acknowledge a batch; retrying it is safe (consumers deduplicate). */
export class PublishError extends Error {
  readonly code = 'PUBLISH_FAILED';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'PublishError';
  }
}
