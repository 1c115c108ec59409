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
import { configureHttpApp, HttpCoreModule } from '#libs/http';
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
import { credentialsVerifier } from '../../query-service/src/credentials.js';
import { QueryServiceModule } from '../../query-service/src/query-service.module.js';

export interface Standalone {
  app: INestApplication;
  projector: Projector;
  stores: Stores;
  documentStore: DocumentStore;
}

/** Starts the projector with the app (reads are consistent from the first request) and stops it first. */
class ProjectorLifecycle implements OnApplicationBootstrap, OnApplicationShutdown {
  constructor(@Inject(PROJECTOR) private readonly projector: Projector) {}

  onApplicationBootstrap(): Promise<void> {
    return this.projector.start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.projector.stop();
  }
}

@Module({})
class StandaloneApp {}

/**
 * Command service, query service and projector in one process on one port (SPEC §6): the
 * embedded default when no EVENTSTORE_URL / MONGO_URL is set — SQLite events in the data
 * directory, read models in memory, rebuilt from the events at start.
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
      ],
      providers: [{ provide: PROJECTOR, useValue: projector }, ProjectorLifecycle],
    },
    { logger },
  );
  return { app: configureHttpApp(app), projector, stores, documentStore };
}
