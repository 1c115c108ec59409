import {
  Inject,
  Injectable,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import type { Settings } from '#libs/config';
import type { EventStore } from '#libs/event-store';
import { startKafkaPublisher, type RunningPublisher } from '../../publisher/src/start-publisher.js';

export const STANDALONE_SETTINGS = Symbol('Settings');
export const STANDALONE_EVENT_STORE = Symbol('EventStore');

/**
 * Runs the Kafka relay in the standalone process when KAFKA_BROKERS is set (SPEC §6: Kafka off
 * otherwise). It stops before the stores close, like the projector.
 */
@Injectable()
export class PublisherLifecycle implements OnApplicationBootstrap, BeforeApplicationShutdown {
  publisher: RunningPublisher | undefined;

  constructor(
    @Inject(STANDALONE_SETTINGS) private readonly settings: Settings,
    @Inject(STANDALONE_EVENT_STORE) private readonly eventStore: EventStore,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    this.publisher = await startKafkaPublisher(this.settings, this.eventStore);
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.publisher?.stop();
  }
}
