import { Controller, Get, Injectable, Res } from '@nestjs/common';
import { ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Gauge, Histogram, Registry } from 'prom-client';
import { addProcessMetrics } from './process-metrics.js';
import { Public } from './public.decorator.js';

/** Upper bounds of the latency buckets, in seconds: 0.5 ms to 5 s. */
const LATENCY_BUCKETS = [
  0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5,
];

/** A registry holding the process's own series (CPU, heap, GC, event-loop lag) already. */
export function createMetricsRegistry(): Registry {
  const registry = new Registry();
  addProcessMetrics(registry);
  return registry;
}

/**
 * The process's metrics for Prometheus (ADR 26): the latency histograms the command side
 * observes, the gauges other parts register (projection and publish lag), and the process's
 * own series. One per Nest app, so one per process in production, and the standalone app's
 * command, query, projector and relay share it; apps created side by side (tests) do not see
 * each other's series.
 */
@Injectable()
export class Metrics {
  readonly registry = createMetricsRegistry();
  readonly commandLatency = new Histogram({
    name: 'access_ledger_command_duration_seconds',
    help: 'Commands from load to durable append, by outcome.',
    labelNames: ['outcome'],
    buckets: LATENCY_BUCKETS,
    registers: [this.registry],
  });
  readonly appendLatency = new Histogram({
    name: 'access_ledger_append_duration_seconds',
    help: 'Appends to the event store, by outcome.',
    labelNames: ['outcome'],
    buckets: LATENCY_BUCKETS,
    registers: [this.registry],
  });

  /** A gauge read at scrape time. */
  gauge(name: string, help: string, read: () => Promise<number>): void {
    new Gauge({
      name,
      help,
      registers: [this.registry],
      async collect() {
        this.set(await read());
      },
    });
  }

  render(): Promise<string> {
    return this.registry.metrics();
  }
}

@ApiTags('ops')
@Public()
@Controller('metrics')
export class MetricsController {
  constructor(private readonly metrics: Metrics) {}

  @Get()
  @ApiOperation({
    summary: 'Prometheus metrics: command and append latency, projection and publish lag',
  })
  @ApiResponse({
    status: 200,
    description: "The process's series in the Prometheus text format",
    content: { 'text/plain': { schema: { type: 'string' } } },
  })
  render(@Res({ passthrough: true }) response: Response): Promise<string> {
    response.type(this.metrics.registry.contentType);
    return this.metrics.render();
  }
}
