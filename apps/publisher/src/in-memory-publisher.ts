import { EVENTS_TOPIC, toKafkaRecord, type CloudEvent, type KafkaRecord } from '#libs/messaging';
import { PublishError, type Publisher } from './publisher.port.js';

/** A message as the in-memory broker holds it: exactly what would go over the wire. */
export interface PublishedRecord extends KafkaRecord {
  topic: string;
}

interface Failure {
  times: number;
  /** Messages of the failing batch written before the failure, as a broker may do. */
  partial: number;
}

/**
 * A broker in memory, for tests and for embedded runs with Kafka off. It encodes each
 * envelope with the same Kafka binding as KafkaPublisher, so a test inspecting `records` sees
 * what would leave the process. It can be told to fail, to rehearse broker outages.
 */
export class InMemoryPublisher implements Publisher {
  readonly records: PublishedRecord[] = [];
  publishCalls = 0;
  private failure: Failure = { times: 0, partial: 0 };

  /** The next `times` publish calls fail, each after writing `partial` of its messages. */
  failNext(times: number, options: { partial?: number } = {}): void {
    this.failure = { times, partial: options.partial ?? 0 };
  }

  async publish(envelopes: readonly CloudEvent[]): Promise<void> {
    this.publishCalls += 1;
    const records = envelopes.map((envelope) => ({
      topic: EVENTS_TOPIC,
      ...toKafkaRecord(envelope),
    }));
    if (this.failure.times > 0) {
      this.failure.times -= 1;
      this.records.push(...records.slice(0, this.failure.partial));
      throw new PublishError('The in-memory broker is down (simulated outage).');
    }
    this.records.push(...records);
  }

  async close(): Promise<void> {}
}
