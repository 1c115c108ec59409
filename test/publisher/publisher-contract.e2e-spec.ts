import { randomUUID } from 'node:crypto';
import { EVENTS_TOPIC } from '#libs/messaging';
import { InMemoryPublisher } from '../../apps/publisher/src/in-memory-publisher.js';
import { KafkaPublisher } from '../../apps/publisher/src/kafka-publisher.js';
import { describeWithKafka, testKafka } from '../support/kafka.js';
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

describeWithKafka(
  'Publisher contract: Kafka adapter',
  'no broker here; set KAFKA_BROKERS to run it: test/kafka-mock/kafka-mock.mjs or docker compose up provides one; issue #5',
  (brokers) => {
    publisherContract({
      timeoutMs: 60_000,
      make: async () => {
        // Short timeouts and few retries, as in every Kafka test (test/support/kafka.ts).
        const publisher = new KafkaPublisher({ brokers, connectionTimeoutMs: 1_000, retries: 2 });
        return {
          publisher,
          received: (organizationIds, count) => readBack(brokers, organizationIds, count),
          close: () => publisher.close(),
        };
      },
      // Nothing listens on port 1; a short timeout and no retries make the failure quick.
      unreachable: async () =>
        new KafkaPublisher({ brokers: ['127.0.0.1:1'], connectionTimeoutMs: 200, retries: 0 }),
    });
  },
);

/** Reads the topic from the beginning with a fresh consumer group until `count` messages match. */
async function readBack(
  brokers: string[],
  organizationIds: string[],
  count: number,
): Promise<ReceivedMessage[]> {
  const consumer = testKafka(brokers, 'contract-reader').consumer({
    groupId: `contract-${randomUUID()}`,
  });
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
