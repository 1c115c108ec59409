import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { Metrics } from '#libs/http';
import type { Projector } from '../../projector/src/projector.js';
import { PROJECTOR } from '../../projector/src/tokens.js';

/** Adds the projector's gauges to /metrics (projection lag, ADR 26); the relay adds its own. */
@Injectable()
export class BackgroundMetrics implements OnModuleInit {
  constructor(
    private readonly metrics: Metrics,
    @Inject(PROJECTOR) private readonly projector: Projector,
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
  }
}
