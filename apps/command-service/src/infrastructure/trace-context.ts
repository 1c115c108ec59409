import { isSpanContextValid, trace } from '@opentelemetry/api';

/** W3C Trace Context of a span, as the `traceparent` / `tracestate` headers carry it. */
export interface TraceContext {
  traceparent: string;
  tracestate?: string;
}

/**
 * The trace context of the span active now (the request's server span when tracing is on),
 * so that the events a command appends can be followed back to the trace that caused them,
 * and consumers can continue it (the publisher sets it as `ce_traceparent`). Undefined when
 * tracing is off: the API's no-op context has no span.
 */
export function activeTraceContext(): TraceContext | undefined {
  const span = trace.getActiveSpan();
  if (span === undefined) return undefined;
  const context = span.spanContext();
  if (!isSpanContextValid(context)) return undefined;
  const flags = (context.traceFlags & 0xff).toString(16).padStart(2, '0');
  const tracestate = context.traceState?.serialize();
  return {
    traceparent: `00-${context.traceId}-${context.spanId}-${flags}`,
    ...(tracestate && { tracestate }),
  };
}
