import { Kafka, logLevel, type Producer } from 'kafkajs';
import { EVENTS_TOPIC, toKafkaRecord, type CloudEvent } from '#libs/messaging';
import { PublishError, type Publisher } from './publisher.port.js';

export interface KafkaPublisherOptions {
  brokers: string[];
  clientId?: string;
  topic?: string;
  /** Time to establish a broker connection. Short, so an outage surfaces to the relay's backoff. */
  connectionTimeoutMs?: number;
  /** Time for the broker to answer a produce request (acks from all in-sync replicas). */
  requestTimeoutMs?: number;
  /** kafkajs's own retries per send, before the relay's backoff takes over. */
  retries?: number;
}

/**
 * The production publisher, written to kafkajs's documented API: an idempotent producer
 * (the broker drops duplicates of a retried request), `acks: -1` (every in-sync replica has
 * the message before it counts as acknowledged) and one request in flight, which kafkajs
 * requires for the idempotent producer to keep each partition in order.
 */
export class KafkaPublisher implements Publisher {
  private readonly producer: Producer;
  private readonly topic: string;
  private connected: Promise<void> | undefined;

  constructor(options: KafkaPublisherOptions) {
    this.topic = options.topic ?? EVENTS_TOPIC;
    const retry = { retries: options.retries ?? 5 };
    const kafka = new Kafka({
      clientId: options.clientId ?? 'access-ledger-publisher',
      brokers: options.brokers,
      connectionTimeout: options.connectionTimeoutMs ?? 3_000,
      requestTimeout: options.requestTimeoutMs ?? 10_000,
      retry,
      logLevel: logLevel.WARN,
    });
    // Finite retries (kafkajs warns, since its default for idempotence is unbounded): a send
    // that gives up is retried by the relay from its checkpoint, so nothing is lost, and lag
    // and errors become visible instead of hiding inside one never-ending send.
    this.producer = kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      allowAutoTopicCreation: false,
      // kafkajs refuses an idempotent producer without at least one retry.
      retry: { retries: Math.max(1, retry.retries) },
    });
  }

  async publish(envelopes: readonly CloudEvent[]): Promise<void> {
    if (envelopes.length === 0) return;
    try {
      await this.connect();
      await this.producer.send({
        topic: this.topic,
        acks: -1,
        messages: envelopes.map(toKafkaRecord),
      });
    } catch (error) {
      // Reconnect on the next call rather than trust a connection that just failed.
      this.connected = undefined;
      throw new PublishError(`Kafka did not acknowledge the batch: ${(error as Error).message}`, {
        cause: error,
      });
    }
  }

  async close(): Promise<void> {
    this.connected = undefined;
    await this.producer.disconnect();
  }

  private connect(): Promise<void> {
    this.connected ??= this.producer.connect();
    return this.connected;
  }
}
