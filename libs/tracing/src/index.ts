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
let flush: () => Promise<void> = () => Promise.resolve();

if (tracingRequested()) startTracing();

/**
 * Exports the spans not sent yet and stops the SDK; nothing when tracing is off. Apps call it
 * as they close: a stop by signal ends with process.exit (ADR 25), which skips beforeExit.
 */
export function flushTracing(): Promise<void> {
  return flush();
}

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
  let stopped: Promise<void> | undefined;
  flush = () => (stopped ??= sdk.shutdown().catch(() => undefined));
  // The last batch of spans is exported when the process winds down on its own too.
  process.once('beforeExit', () => void flush());
}
