// First: tracing, when OTEL_* ask for it, must patch http before anything loads it.
import '#libs/tracing';
import { createServer } from 'node:http';
import { Logger } from '@nestjs/common';
import { loadSettings } from '#libs/config';
import { createStructuredLogger, routeNestLoggerTo } from '#libs/logging';
import { openUpcastingEventStore } from '#libs/messaging';
import { publisherMetrics } from './publisher-metrics.js';
import { startKafkaPublisher } from './start-publisher.js';

/**
 * The publisher on its own: event store -> Kafka. Serves `/metrics` (publish lag) and
 * `/health/live` on PORT, unauthenticated like every service's (S1 exempts them), with plain
 * node:http: there is no API here to need Nest.
 */
const settings = loadSettings();
routeNestLoggerTo(createStructuredLogger(settings));
const logger = new Logger('Publisher');
const store = openUpcastingEventStore(settings);

const running = await startKafkaPublisher(settings, store, logger);
if (!running) {
  logger.log('KAFKA_BROKERS is not set: Kafka is off, nothing to publish.');
  await store.close();
} else {
  const server = createServer((request, response) => {
    if (request.url === '/metrics') {
      void running.relay.lag().then(
        (lag) => {
          response.setHeader('Content-Type', 'text/plain; version=0.0.4');
          response.end(publisherMetrics(lag));
        },
        () => {
          response.statusCode = 503;
          response.end();
        },
      );
    } else if (request.url === '/health/live') {
      response.statusCode = running.relay.status === 'failed' ? 503 : 200;
      response.end(running.relay.status);
    } else {
      response.statusCode = 404;
      response.end();
    }
  });
  server.listen(settings.port, settings.host);
  const shutdown = async () => {
    server.close();
    await running.stop();
    await store.close();
  };
  process.once('SIGTERM', () => void shutdown());
  process.once('SIGINT', () => void shutdown());
}
