// First: tracing, when OTEL_* ask for it, must patch http before anything loads it.
import '#libs/tracing';
import 'reflect-metadata';
import { createServer } from 'node:http';
import { Inject, Injectable, Logger, Module, type OnApplicationShutdown } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { loadSettings } from '#libs/config';
import type { EventStore } from '#libs/event-store';
import { createStructuredLogger, routeNestLoggerTo } from '#libs/logging';
import { openUpcastingEventStore } from '#libs/messaging';
import { createDocumentStore, PROJECTION_INDEXES, type DocumentStore } from '#libs/read-models';
import { safeMessage } from './log-safe.js';
import { ProjectionFailedError } from './projection-fold.js';
import { createProjector, ProjectorModule } from './projector.module.js';

/**
 * The projector on its own: production, where the read models live in MongoDB (MONGO_URL)
 * and the query service reads them from another process. On the embedded default the read
 * models are in memory, so a projector process alone would build them for nobody: there it
 * runs inside `npm start`.
 */
const STORES = Symbol('ProjectorStores');

/** Closes the stores once the projector has stopped (it stops before application shutdown). */
@Injectable()
class StoresLifecycle implements OnApplicationShutdown {
  constructor(
    @Inject(STORES) private readonly stores: { events: EventStore; documents: DocumentStore },
  ) {}

  async onApplicationShutdown(): Promise<void> {
    await this.stores.documents.close();
    await this.stores.events.close();
  }
}

const settings = loadSettings();
// Every line JSON, also those logged before the Nest context exists or if it fails to boot.
routeNestLoggerTo(createStructuredLogger(settings));
const logger = new Logger('Projector');
if (!settings.mongoUrl) {
  logger.warn(
    'MONGO_URL is not set: the read models are built in this process memory and served by nobody. Set MONGO_URL, or use `npm start`, which runs the projector with the query service.',
  );
}
const eventStore = openUpcastingEventStore(settings);
const documentStore = createDocumentStore(settings, PROJECTION_INDEXES);

const projector = createProjector(settings, eventStore, documentStore);

// No API here, so plain node:http, unauthenticated like every service's health (S1): for
// docker compose's health check, ready once the projector has caught up and follows the store.
const health = createServer((request, response) => {
  const status = projector.status();
  if (request.url === '/health/live') response.statusCode = status === 'failed' ? 503 : 200;
  else if (request.url === '/health/ready') response.statusCode = status === 'live' ? 200 : 503;
  else response.statusCode = 404;
  response.end(response.statusCode === 404 ? undefined : JSON.stringify({ status }));
});
health.listen(settings.port, settings.host);

@Module({
  imports: [ProjectorModule.forProjector(projector)],
  providers: [
    { provide: STORES, useValue: { events: eventStore, documents: documentStore } },
    StoresLifecycle,
  ],
})
class ProjectorApp {}

try {
  // Creating the context boots it, which awaits the projector's catch-up.
  // Its logs go through pino too: routeNestLoggerTo replaced Nest's logger for the process.
  const app = await NestFactory.createApplicationContext(ProjectorApp);
  app.enableShutdownHooks();
  logger.log('Caught up with the event store; following new events.');
} catch (error) {
  logger.error(
    `The projector could not catch up: ${safeMessage(error, [ProjectionFailedError])}. Check that the stores are reachable, then start it again.`,
  );
  health.close();
  await Promise.allSettled([documentStore.close(), eventStore.close()]);
  process.exitCode = 1;
}
