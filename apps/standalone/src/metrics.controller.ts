import { Controller, Get, Header, Inject } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Public } from '#libs/http';
import type { Projector } from '../../projector/src/projector.js';
import { PROJECTOR } from '../../projector/src/tokens.js';
import { publisherMetrics } from '../../publisher/src/publisher-metrics.js';
import { PublisherLifecycle } from './publisher-lifecycle.js';

/** Prometheus text format: projection lag, and publish lag when Kafka is on. */
@ApiTags('ops')
@Public()
@Controller('metrics')
export class MetricsController {
  constructor(
    @Inject(PROJECTOR) private readonly projector: Projector,
    private readonly publishing: PublisherLifecycle,
  ) {}

  @Get()
  @Header('Content-Type', 'text/plain; version=0.0.4')
  @ApiOperation({ summary: 'Prometheus metrics' })
  async metrics(): Promise<string> {
    const lines = [
      gauge(
        'access_ledger_projection_lag_positions',
        'Event-store positions the read models trail the head by.',
        await this.projector.lag(),
      ),
      gauge(
        'access_ledger_projector_up',
        '1 while the projector follows the store.',
        this.projector.status() === 'live' ? 1 : 0,
      ),
    ];
    const relay = this.publishing.publisher?.relay;
    if (relay) lines.push(publisherMetrics(await relay.lag()));
    return lines.join('');
  }
}

function gauge(name: string, help: string, value: number): string {
  return `# HELP ${name} ${help}\n# TYPE ${name} gauge\n${name} ${value}\n`;
}
