import { join } from 'node:path';
import type { Settings } from '#libs/config';
import type { EventStore } from '#libs/event-store';
import { SqliteCheckpointStore } from './sqlite-checkpoint-store.js';
import { KafkaPublisher } from './kafka-publisher.js';
import { PublisherRelay, type RelayLogger } from './publisher-relay.js';
import type { Publisher } from './publisher.port.js';

/** The checkpoint file in the data directory. */
export const CHECKPOINT_FILE = 'publisher-checkpoints.sqlite';

export interface RunningPublisher {
  relay: PublisherRelay;
  stop(): Promise<void>;
}

/**
 * The relay to Kafka over an open event store, or undefined when Kafka is off (KAFKA_BROKERS
 * unset: the embedded default publishes nothing; README, Settings). For apps/publisher and
 * standalone; tests pass a `broker` in place of Kafka.
 */
export async function startKafkaPublisher(
  settings: Settings,
  store: EventStore,
  logger?: RelayLogger,
  broker?: Publisher,
): Promise<RunningPublisher | undefined> {
  if (!settings.kafkaBrokers) return undefined;
  const publisher = broker ?? new KafkaPublisher({ brokers: settings.kafkaBrokers });
  const checkpoints = new SqliteCheckpointStore(join(settings.dataDir, CHECKPOINT_FILE));
  const relay = new PublisherRelay(store, publisher, checkpoints, { logger });
  await relay.start();
  return {
    relay,
    stop: async () => {
      await relay.stop();
      await publisher.close();
      await checkpoints.close();
    },
  };
}
