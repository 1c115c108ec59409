// First: tracing, when OTEL_* ask for it, must patch http before anything loads it.
import '#libs/tracing';
import 'reflect-metadata';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Authenticator } from '#libs/auth';
import { loadSettings, withDevelopmentSecrets } from '#libs/config';
import { configureHttpApp, HTTP_APP_OPTIONS, HttpCoreModule, ReadinessModule } from '#libs/http';
import { createStructuredLogger, useStructuredLogs } from '#libs/logging';
import { ChangeFeedModule, openUpcastingEventStore } from '#libs/messaging';
import {
  AccessGraphs,
  ALL_PROJECTIONS,
  checkpointName,
  createDocumentStore,
  credentialsVerifier,
  PROJECTION_INDEXES,
} from '#libs/read-models';
import { openSnapshotStore } from '#libs/snapshots';
import { HealthController } from '../../command-service/src/health/health.controller.js';
import { EVENT_STORE } from '../../command-service/src/infrastructure/tokens.js';
import { CheckpointProgress } from './checkpoint-progress.js';
import { followAccessGraphs } from './checks/follow-access-graphs.js';
import { QueryServiceModule } from './query-service.module.js';

/**
 * The query service on its own (production: MONGO_URL set, the projector in its own process
 * writing the read models). Alone on the embedded default it would read empty in-memory
 * models: run `npm start` (apps/standalone) for that.
 */
@Module({})
class QueryServiceApp {}

const settings = withDevelopmentSecrets(loadSettings());
const documentStore = createDocumentStore(settings, PROJECTION_INDEXES);
const eventStore = openUpcastingEventStore(settings);
const snapshotStore = openSnapshotStore(settings);
const logs = createStructuredLogger(settings);
const graphs = new AccessGraphs({ indexProjects: true });
followAccessGraphs(eventStore, graphs);
const app = await NestFactory.create(
  {
    module: QueryServiceApp,
    imports: [
      HttpCoreModule.forRoot(new Authenticator(settings, credentialsVerifier(documentStore))),
      QueryServiceModule.forRoot(
        documentStore,
        new CheckpointProgress(documentStore, ALL_PROJECTIONS),
        eventStore,
        graphs,
        snapshotStore && { store: snapshotStore, every: settings.snapshots.every },
      ),
      ChangeFeedModule.forRoot(eventStore),
      // /health/live and /health/ready (docker compose's health check): the event store answers,
      // and so does the read models' store.
      ReadinessModule.forRoot([
        {
          name: 'read-models',
          check: () =>
            documentStore.checkpoint(checkpointName(ALL_PROJECTIONS[0]!)).then(
              () => undefined,
              () => 'the read models store does not answer; check MONGO_URL',
            ),
        },
      ]),
    ],
    controllers: [HealthController],
    providers: [{ provide: EVENT_STORE, useValue: eventStore }],
  },
  { ...HTTP_APP_OPTIONS, bufferLogs: true },
);
await configureHttpApp(useStructuredLogs(app, logs)).listen(settings.port, settings.host);
