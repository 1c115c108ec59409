import { createRequire } from 'node:module';
import type * as SdkNode from '@opentelemetry/sdk-node';
import type * as InstrumentationHttp from '@opentelemetry/instrumentation-http';
import { tracingRequested } from '#libs/config';

/**
 * Imported first by every app's main, for its side effect: when the standard OTEL_* variables
 * ask for traces (tracingRequested), the OpenTelemetry SDK starts here with the http
 * instrumentation — before Express and Nest load http, which the instrumentation must see
 * being required to patch it (Nest 12 is ESM, but Express requires http as CommonJS). The SDK
 * is required synchronously so nothing imported after this module runs before it is in place.
 * Otherwise nothing is loaded and tracing costs nothing: the API's no-op tracer answers.
 */
if (tracingRequested()) startTracing();

function startTracing(): void {
  const require = createRequire(import.meta.url);
  const { NodeSDK } = require('@opentelemetry/sdk-node') as typeof SdkNode;
  const { HttpInstrumentation } =
    require('@opentelemetry/instrumentation-http') as typeof InstrumentationHttp;
  const sdk = new NodeSDK({
    instrumentations: [new HttpInstrumentation()],
    // Traces only: metrics are Prometheus' (/metrics), logs are pino's lines on stdout.
    metricReaders: [],
    logRecordProcessors: [],
  });
  sdk.start();
  // The last batch of spans is exported when the process winds down on its own (after a
  // graceful stop), not lost with it.
  process.once('beforeExit', () => void sdk.shutdown().catch(() => undefined));
}
