import { randomUUID } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';
import { EVENTS_TOPIC } from '#libs/messaging';
import { InMemoryPublisher } from '../../apps/publisher/src/in-memory-publisher.js';
import { KafkaPublisher } from '../../apps/publisher/src/kafka-publisher.js';
import { publisherContract, type ReceivedMessage } from './publisher.contract.js';

describe('Publisher contract: in-memory adapter', () => {
  publisherContract({
    make: async () => {
      const publisher = new InMemoryPublisher();
      return {
        publisher,
        received: async (organizationIds) =>
          publisher.records.filter((record) => organizationIds.includes(record.key)),
        close: () => publisher.close(),
      };
    },
    unreachable: async () => {
      const publisher = new InMemoryPublisher();
      publisher.failNext(Number.POSITIVE_INFINITY);
      return publisher;
    },
  });
});

const brokers = process.env.KAFKA_BROKERS?.split(',')
  .map((broker) => broker.trim())
  .filter(Boolean);
const describeKafka = brokers?.length ? describe : describe.skip;
const kafkaTitle = brokers?.length
  ? 'Publisher contract: Kafka adapter'
  : 'Kafka adapter (skipped: no broker here; set KAFKA_BROKERS to run it, docker compose up provides one; issue #5)';

describeKafka(kafkaTitle, () => {
  publisherContract({
    timeoutMs: 60_000,
    make: async () => {
      const publisher = new KafkaPublisher({ brokers: brokers ?? [] });
      return {
        publisher,
        received: (organizationIds, count) => readBack(brokers ?? [], organizationIds, count),
        close: () => publisher.close(),
      };
    },
    // Nothing listens on port 1; a short timeout and no retries make the failure quick.
    unreachable: async () =>
      new KafkaPublisher({ brokers: ['127.0.0.1:1'], connectionTimeoutMs: 200, retries: 0 }),
  });
});

/** Reads the topic from the beginning with a fresh consumer group until `count` messages match. */
async function readBack(
  brokers: string[],
  organizationIds: string[],
  count: number,
): Promise<ReceivedMessage[]> {
  const kafka = new Kafka({ brokers, clientId: 'contract-reader', logLevel: logLevel.WARN });
  const consumer = kafka.consumer({ groupId: `contract-${randomUUID()}` });
  const received: ReceivedMessage[] = [];
  await consumer.connect();
  try {
    await consumer.subscribe({ topic: EVENTS_TOPIC, fromBeginning: true });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`Read ${received.length} of ${count} messages.`)),
        30_000,
      );
      void consumer.run({
        eachMessage: async ({ message }) => {
          const key = message.key?.toString() ?? '';
          if (!organizationIds.includes(key)) return;
          received.push({
            key,
            value: message.value?.toString() ?? '',
            headers: message.headers ?? {},
          });
          if (received.length >= count) {
            clearTimeout(timer);
            resolve();
          }
        },
      });
    });
  } finally {
    await consumer.disconnect();
  }
  return received;
}
