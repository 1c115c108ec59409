import {
  Inject,
  Injectable,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import type { Settings } from '#libs/config';
import type { EventStore } from '#libs/event-store';
import type { Projector } from '../../projector/src/projector.js';
import { PROJECTOR } from '../../projector/src/tokens.js';
import { startKafkaPublisher, type RunningPublisher } from '../../publisher/src/start-publisher.js';

export const BACKGROUND_WORK = Symbol('BackgroundWork');
export const STANDALONE_SETTINGS = Symbol('Settings');
export const STANDALONE_EVENT_STORE = Symbol('EventStore');

/**
 * Starts the projector with the app, so reads are consistent from the first request, and the
 * Kafka relay when KAFKA_BROKERS is set; stops both on shutdown.
 */
@Injectable()
export class BackgroundWork implements OnApplicationBootstrap, OnApplicationShutdown {
  publisher: RunningPublisher | undefined;

  constructor(
    @Inject(PROJECTOR) private readonly projector: Projector,
    @Inject(STANDALONE_SETTINGS) private readonly settings: Settings,
    @Inject(STANDALONE_EVENT_STORE) private readonly eventStore: EventStore,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.projector.start();
    this.publisher = await startKafkaPublisher(this.settings, this.eventStore);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.publisher?.stop();
    await this.projector.stop();
  }
}
