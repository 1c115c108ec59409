import {
  Inject,
  Module,
  type INestApplication,
  type LogLevel,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Authenticator } from '#libs/auth';
import type { Settings } from '#libs/config';
import type { EventStore } from '#libs/event-store';
import { configureHttpApp, HttpCoreModule } from '#libs/http';
import { ChangeFeedModule } from '#libs/messaging';
import {
  ALL_PROJECTIONS,
  createDocumentStore,
  PROJECTION_INDEXES,
  type DocumentStore,
} from '#libs/read-models';
import { CommandServiceModule } from '../../command-service/src/command-service.module.js';
import { openStores, type Stores } from '../../command-service/src/infrastructure/stores.js';
import { Projector } from '../../projector/src/projector.js';
import { PROJECTOR } from '../../projector/src/tokens.js';
import { startKafkaPublisher, type RunningPublisher } from '../../publisher/src/start-publisher.js';
import { credentialsVerifier } from '../../query-service/src/credentials.js';
import { QueryServiceModule } from '../../query-service/src/query-service.module.js';

export interface Standalone {
  app: INestApplication;
  projector: Projector;
  stores: Stores;
  documentStore: DocumentStore;
}

const SETTINGS = Symbol('Settings');
const EVENT_STORE = Symbol('EventStore');

/**
 * Starts the projector with the app, so reads are consistent from the first request, and the
 * Kafka relay when KAFKA_BROKERS is set; stops both on shutdown.
 */
class BackgroundWork implements OnApplicationBootstrap, OnApplicationShutdown {
  private publisher: RunningPublisher | undefined;

  constructor(
    @Inject(PROJECTOR) private readonly projector: Projector,
    @Inject(SETTINGS) private readonly settings: Settings,
    @Inject(EVENT_STORE) private readonly eventStore: EventStore,
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

@Module({})
class StandaloneApp {}

/**
 * Command service, query service (with the change feed), projector and publisher in one
 * process on one port (SPEC §6): the embedded default when no EVENTSTORE_URL / MONGO_URL /
 * KAFKA_BROKERS is set — SQLite events in the data directory, read models in memory rebuilt
 * from the events at start, Kafka off.
 */
export async function createStandaloneApp(
  settings: Settings,
  logger: LogLevel[] | false = ['log', 'warn', 'error'],
): Promise<Standalone> {
  const stores = openStores(settings);
  const documentStore = createDocumentStore(settings, PROJECTION_INDEXES);
  const projector = new Projector(stores.eventStore, documentStore, ALL_PROJECTIONS, {
    batchSize: 1_000,
    maxBatchDelayMs: 0,
  });
  const app = await NestFactory.create(
    {
      module: StandaloneApp,
      imports: [
        HttpCoreModule.forRoot(new Authenticator(settings, credentialsVerifier(documentStore))),
        CommandServiceModule.forRoot(settings, stores),
        QueryServiceModule.forRoot(documentStore, projector),
        ChangeFeedModule.forRoot(stores.eventStore),
      ],
      providers: [
        { provide: PROJECTOR, useValue: projector },
        { provide: SETTINGS, useValue: settings },
        { provide: EVENT_STORE, useValue: stores.eventStore },
        BackgroundWork,
      ],
    },
    { logger },
  );
  return { app: configureHttpApp(app), projector, stores, documentStore };
}
