// First: tracing, when OTEL_* ask for it, must patch http before anything loads it.
import '#libs/tracing';
import { createServer } from 'node:http';
import { Logger } from '@nestjs/common';
import { loadSettings } from '#libs/config';
import { createMetricsRegistry } from '#libs/http';
import { createStructuredLogger, routeNestLoggerTo } from '#libs/logging';
import { openUpcastingEventStore } from '#libs/messaging';
import { registerPublisherMetrics } from './publisher-metrics.js';
import { relayProblem } from './relay-readiness.js';
import { startKafkaPublisher } from './start-publisher.js';

/**
 * The publisher on its own: event store -> Kafka. Serves `/metrics` (publish lag and the
 * process's series), `/health/live` and `/health/ready` (ADR 26) on PORT, unauthenticated
 * like every service's (S1 exempts them), with plain node:http: there is no API here to need
 * Nest.
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
  const registry = createMetricsRegistry();
  registerPublisherMetrics(registry, running.relay);
  const server = createServer((request, response) => {
    if (request.url === '/metrics') {
      void registry.metrics().then(
        (text) => {
          response.setHeader('Content-Type', registry.contentType);
          response.end(text);
        },
        () => {
          response.statusCode = 503;
          response.end();
        },
      );
    } else if (request.url === '/health/live') {
      response.statusCode = running.relay.status === 'failed' ? 503 : 200;
      response.end(running.relay.status);
    } else if (request.url === '/health/ready') {
      void running.relay.lag().then(
        (lag) => {
          const problem = relayProblem(lag);
          response.statusCode = problem ? 503 : 200;
          response.end(problem ?? 'ready');
        },
        () => {
          response.statusCode = 503;
          response.end('the event store does not answer; check EVENTSTORE_URL or DATA_DIR');
        },
      );
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
