import { Logger, Module, type INestApplication, type LogLevel } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Authenticator } from '#libs/auth';
import type { Settings } from '#libs/config';
import { configureHttpApp, HTTP_APP_OPTIONS, HttpCoreModule, ReadinessModule } from '#libs/http';
import { createStructuredLogger, levelOfNestLevels, useStructuredLogs } from '#libs/logging';
import { ChangeFeedModule, type UpcasterRegistry } from '#libs/messaging';
import {
  AccessGraphs,
  createDocumentStore,
  credentialsVerifier,
  PROJECTION_INDEXES,
  type DocumentStore,
} from '#libs/read-models';
import { CommandServiceModule } from '../../command-service/src/command-service.module.js';
import { openStores, type Stores } from '../../command-service/src/infrastructure/stores.js';
import type { Projector } from '../../projector/src/projector.js';
import { FoldSnapshots } from '../../projector/src/fold-snapshots.js';
import {
  createProjector,
  FOLD_SNAPSHOT_EVERY_MS,
  ProjectorModule,
} from '../../projector/src/projector.module.js';
import { OrganizationHistory } from '../../query-service/src/history/organization-history.js';
import { QueryServiceModule } from '../../query-service/src/query-service.module.js';
import {
  PublisherLifecycle,
  STANDALONE_EVENT_STORE,
  STANDALONE_PUBLISHING,
  STANDALONE_SETTINGS,
  type PublishingOptions,
} from './publisher-lifecycle.js';
import { BackgroundMetrics } from './background-metrics.js';
import { ReadModelsLifecycle, STANDALONE_DOCUMENT_STORE } from './read-models-lifecycle.js';

export interface Standalone {
  app: INestApplication;
  projector: Projector;
  stores: Stores;
  documentStore: DocumentStore;
}

/** Readiness also waits for the read models: at most this many positions behind the head. */
const READY_PROJECTION_LAG = 1_000;

@Module({})
class StandaloneApp {}

/**
 * Command service, query service (with the change feed), projector and publisher in one
 * process on one port (README, Quick start): the embedded default when no EVENTSTORE_URL /
 * MONGO_URL / KAFKA_BROKERS is set — SQLite events, snapshots and read models in the data
 * directory, the read models resumed from their checkpoints and the folds from their snapshots at
 * start (ADR 20), Kafka off. It listens at once; readiness waits for the catch-up.
 */
export async function createStandaloneApp(
  settings: Settings,
  logger?: LogLevel[] | false,
  {
    upcasters,
    publishing = {},
  }: { upcasters?: UpcasterRegistry; publishing?: PublishingOptions } = {},
): Promise<Standalone> {
  // Given levels (tests, benchmarks) override LOG_LEVEL.
  const logs = createStructuredLogger(settings, {
    level: logger === undefined ? undefined : levelOfNestLevels(logger),
  });
  const stores = openStores(settings, upcasters);
  const documentStore = createDocumentStore(settings, PROJECTION_INDEXES);
  // One fold of every organization: the projector's, which the checks read too (R31).
  const graphs = new AccessGraphs({ indexProjects: true });
  const historySnapshots = stores.snapshotStore && {
    store: stores.snapshotStore,
    every: settings.snapshots.every,
  };
  const foldSnapshots =
    historySnapshots &&
    new FoldSnapshots(
      historySnapshots.store,
      new OrganizationHistory(stores.eventStore, historySnapshots),
      new Logger('Projector'),
    );
  const projector = createProjector(
    settings,
    stores.eventStore,
    documentStore,
    graphs,
    foldSnapshots && { fold: foldSnapshots, everyMs: FOLD_SNAPSHOT_EVERY_MS },
  );
  const app = await NestFactory.create(
    {
      module: StandaloneApp,
      imports: [
        HttpCoreModule.forRoot(new Authenticator(settings, credentialsVerifier(documentStore))),
        CommandServiceModule.forRoot(settings, stores),
        ProjectorModule.forProjector(projector, { serveWhileCatchingUp: true }),
        QueryServiceModule.forRoot(
          documentStore,
          projector,
          stores.eventStore,
          graphs,
          historySnapshots,
        ),
        ChangeFeedModule.forRoot(stores.eventStore),
        ReadinessModule.forRoot([
          {
            name: 'projector',
            check: async () => {
              const status = projector.status();
              if (status === 'catching-up') {
                return `read models catching up: ${await projector.lag()} positions behind the store`;
              }
              if (status !== 'live') return `projector is ${status}`;
              const lag = await projector.lag();
              return lag > READY_PROJECTION_LAG
                ? `read models trail the store by ${lag}`
                : undefined;
            },
          },
        ]),
      ],
      providers: [
        { provide: STANDALONE_SETTINGS, useValue: settings },
        { provide: STANDALONE_EVENT_STORE, useValue: stores.eventStore },
        { provide: STANDALONE_PUBLISHING, useValue: publishing },
        PublisherLifecycle,
        BackgroundMetrics,
        { provide: STANDALONE_DOCUMENT_STORE, useValue: documentStore },
        ReadModelsLifecycle,
      ],
    },
    { ...HTTP_APP_OPTIONS, bufferLogs: true },
  );
  return {
    app: configureHttpApp(useStructuredLogs(app, logs)),
    projector,
    stores,
    documentStore,
  };
}
