import { Controller, Get, Header, Injectable } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Public } from './public.decorator.js';

/** Upper bounds of the latency buckets, in seconds: 0.5 ms to 5 s. */
const LATENCY_BUCKETS = [
  0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5,
];

/** A Prometheus histogram of durations in seconds, with one label. */
class Histogram {
  private readonly series = new Map<string, { counts: number[]; sum: number; count: number }>();

  constructor(
    readonly name: string,
    readonly help: string,
    readonly label: string,
  ) {}

  observe(labelValue: string, seconds: number): void {
    let series = this.series.get(labelValue);
    if (!series)
      this.series.set(
        labelValue,
        (series = { counts: LATENCY_BUCKETS.map(() => 0), sum: 0, count: 0 }),
      );
    LATENCY_BUCKETS.forEach((bound, i) => {
      if (seconds <= bound) series.counts[i] += 1;
    });
    series.sum += seconds;
    series.count += 1;
  }

  render(): string {
    const lines = [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} histogram`];
    for (const [value, { counts, sum, count }] of this.series) {
      const label = `${this.label}="${value}"`;
      LATENCY_BUCKETS.forEach((bound, i) =>
        lines.push(`${this.name}_bucket{${label},le="${bound}"} ${counts[i]}`),
      );
      lines.push(`${this.name}_bucket{${label},le="+Inf"} ${count}`);
      lines.push(`${this.name}_sum{${label}} ${sum}`, `${this.name}_count{${label}} ${count}`);
    }
    return `${lines.join('\n')}\n`;
  }
}

/**
 * The process's metrics in the Prometheus text format (SPEC §5 ops): latency histograms the
 * command side observes, and gauges other parts register (projection and publish lag).
 * Written by hand: a dozen series do not need a client library.
 */
@Injectable()
export class Metrics {
  readonly commandLatency = new Histogram(
    'access_ledger_command_duration_seconds',
    'Commands from load to durable append, by outcome.',
    'outcome',
  );
  readonly appendLatency = new Histogram(
    'access_ledger_append_duration_seconds',
    'Appends to the event store, by outcome.',
    'outcome',
  );
  private readonly gauges: {
    name: string;
    help: string;
    read: () => Promise<number | undefined>;
  }[] = [];

  /** A gauge read at scrape time; a read that answers undefined leaves it out. */
  gauge(name: string, help: string, read: () => Promise<number | undefined>): void {
    this.gauges.push({ name, help, read });
  }

  async render(): Promise<string> {
    const parts = [this.commandLatency.render(), this.appendLatency.render()];
    for (const { name, help, read } of this.gauges) {
      const value = await read();
      if (value !== undefined)
        parts.push(`# HELP ${name} ${help}\n# TYPE ${name} gauge\n${name} ${value}\n`);
    }
    return parts.join('');
  }
}

@ApiTags('ops')
@Public()
@Controller('metrics')
export class MetricsController {
  constructor(private readonly metrics: Metrics) {}

  @Get()
  @Header('Content-Type', 'text/plain; version=0.0.4')
  @ApiOperation({
    summary: 'Prometheus metrics: command and append latency, projection and publish lag',
  })
  render(): Promise<string> {
    return this.metrics.render();
  }
}
