import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { Metrics } from '#libs/http';
import type { Projector } from '../../projector/src/projector.js';
import { PROJECTOR } from '../../projector/src/tokens.js';
import { PublisherLifecycle } from './publisher-lifecycle.js';

/** Adds the projector's and the relay's gauges to /metrics (SPEC §5: projection and publish lag). */
@Injectable()
export class BackgroundMetrics implements OnModuleInit {
  constructor(
    private readonly metrics: Metrics,
    @Inject(PROJECTOR) private readonly projector: Projector,
    private readonly publishing: PublisherLifecycle,
  ) {}

  onModuleInit(): void {
    this.metrics.gauge(
      'access_ledger_projection_lag_positions',
      'Event-store positions the read models trail the head by.',
      () => this.projector.lag(),
    );
    this.metrics.gauge(
      'access_ledger_projector_up',
      '1 while the projector follows the store.',
      async () => (this.projector.status() === 'live' ? 1 : 0),
    );
    this.metrics.gauge(
      'access_ledger_publish_lag_positions',
      'Event-store positions between the head and the last event Kafka acknowledged.',
      async () => (await this.publishing.publisher?.relay.lag())?.positionsBehind,
    );
  }
}
