import { randomUUID } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';
import type { HeaderValue } from '#libs/messaging';

/** The brokers of KAFKA_BROKERS (comma-separated), or undefined when unset. */
const kafkaBrokers: string[] | undefined = (() => {
  const brokers = process.env.KAFKA_BROKERS?.split(',')
    .map((broker) => broker.trim())
    .filter(Boolean);
  return brokers?.length ? brokers : undefined;
})();

/** Short timeouts and few retries: a broken broker fails a test in seconds, not minutes. */
export const testKafka = (brokers: string[], clientId: string): Kafka =>
  new Kafka({
    brokers,
    clientId,
    connectionTimeout: 1_000,
    requestTimeout: 5_000,
    retry: { retries: 2, initialRetryTime: 100 },
    logLevel: logLevel.WARN,
  });

/**
 * A suite that needs a broker. Without KAFKA_BROKERS it is skipped, saying why; but where
 * REQUIRE_KAFKA=1 (CI, which starts test/kafka-mock) a missing or unreachable broker fails the
 * suite instead, so that CI cannot go green with its Kafka suites silently skipped.
 */
export function describeWithKafka(
  title: string,
  skipReason: string,
  body: (brokers: string[]) => void,
): void {
  const required = process.env.REQUIRE_KAFKA === '1';
  if (!kafkaBrokers) {
    // The body still declares its tests, so that they are reported as skipped, with the reason.
    const skipped = `${title} (skipped: ${skipReason})`;
    if (!required) return describe.skip(skipped, () => body([])); // CI runs them: issue 12, ADR 24
    return describe(title, () => {
      it('has a broker to run against', () => {
        throw new Error(
          'REQUIRE_KAFKA=1 but KAFKA_BROKERS is unset: start `node test/kafka-mock/kafka-mock.mjs` ' +
            'and set KAFKA_BROKERS to the address it prints, or unset REQUIRE_KAFKA to skip.',
        );
      });
    });
  }
  const brokers = kafkaBrokers;
  describe(title, () => {
    beforeAll(async () => {
      const admin = testKafka(brokers, 'reachability-check').admin();
      try {
        await admin.connect();
      } catch (error) {
        throw new Error(
          `KAFKA_BROKERS=${brokers.join(',')} is unreachable (${(error as Error).message}): ` +
            'start the broker (test/kafka-mock/kafka-mock.mjs or docker compose up) or fix the address.',
          { cause: error },
        );
      } finally {
        await admin.disconnect();
      }
    });
    body(brokers);
  });
}

/** A message as a consumer reads it, with where it sits on the topic. */
export interface TopicMessage {
  partition: number;
  offset: string;
  key: string;
  value: string;
  headers: Record<string, HeaderValue>;
}

/**
 * Every message of `topic` from the beginning up to its end as of the call (each partition's
 * high watermark), in offset order per partition. Reading to the end, rather than until some
 * count, is what lets a test say "exactly one message per event" without waiting for a quiet
 * moment. A fresh consumer group each time, so nothing else's offsets interfere.
 */
export async function readTopicToEnd(brokers: string[], topic: string): Promise<TopicMessage[]> {
  const kafka = testKafka(brokers, 'topic-reader');
  const admin = kafka.admin();
  await admin.connect();
  const ends = new Map(
    (await admin.fetchTopicOffsets(topic).finally(() => admin.disconnect()))
      .filter(({ low, high }) => BigInt(high) > BigInt(low))
      .map(({ partition, high }) => [partition, BigInt(high)]),
  );
  const consumer = kafka.consumer({ groupId: `topic-reader-${randomUUID()}` });
  const messages: TopicMessage[] = [];
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    await new Promise<void>((resolve, reject) => {
      const done = () => {
        if (ends.size > 0) return;
        clearTimeout(timer);
        resolve();
      };
      const timer = setTimeout(
        () =>
          reject(
            new Error(
              `Read ${messages.length} messages; partitions ${[...ends.keys()]} short of their end.`,
            ),
          ),
        30_000,
      );
      done();
      void consumer.run({
        eachMessage: async ({ partition, message }) => {
          const end = ends.get(partition);
          if (end === undefined || BigInt(message.offset) >= end) return;
          messages.push({
            partition,
            offset: message.offset,
            key: message.key?.toString() ?? '',
            value: message.value?.toString() ?? '',
            headers: message.headers ?? {},
          });
          if (BigInt(message.offset) + 1n >= end) {
            ends.delete(partition);
            done();
          }
        },
      });
    });
  } finally {
    await consumer.disconnect();
  }
  return messages;
}
