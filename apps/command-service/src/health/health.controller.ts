import { Controller, Get, Inject, Optional } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { EventStore } from '#libs/event-store';
import {
  ApiError,
  ApiRefusals,
  asSchema,
  namedSchema,
  Public,
  READINESS_PROBES,
  type ReadinessProbe,
} from '#libs/http';

const LIVE = namedSchema('Live', {
  type: 'object',
  required: ['status'],
  properties: { status: { type: 'string', enum: ['ok'] } },
});

const READY = namedSchema('Ready', {
  type: 'object',
  required: ['status', 'headPosition'],
  properties: {
    status: { type: 'string', enum: ['ok'] },
    headPosition: {
      type: 'string',
      pattern: '^\\d+$',
      description: "The event store's last position",
    },
  },
});
import { EVENT_STORE } from '../infrastructure/tokens.js';

@ApiTags('ops')
@Public()
@Controller('health')
export class HealthController {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Optional() @Inject(READINESS_PROBES) private readonly probes: ReadinessProbe[] = [],
  ) {}

  @Get('live')
  @ApiOperation({ summary: 'The process is up' })
  @ApiOkResponse({ description: 'Up', schema: asSchema(LIVE) })
  live() {
    return { status: 'ok' };
  }

  @Get('ready')
  @ApiOperation({
    summary: 'The event store answers, and read models (where in process) are caught up',
  })
  @ApiOkResponse({ description: 'Ready', schema: asSchema(READY) })
  @ApiRefusals({
    503: 'Not ready: the event store does not answer (`EVENT_STORE_UNAVAILABLE`) or a part is behind (`NOT_READY`, each in `details`)',
  })
  async ready() {
    let headPosition: string;
    try {
      headPosition = await this.store.headPosition();
    } catch {
      throw new ApiError(
        503,
        'EVENT_STORE_UNAVAILABLE',
        'The event store does not answer; check EVENTSTORE_URL or the data directory.',
      );
    }
    const problems: Record<string, string> = {};
    for (const probe of this.probes) {
      const problem = await probe.check();
      if (problem) problems[probe.name] = problem;
    }
    if (Object.keys(problems).length > 0) {
      throw new ApiError(503, 'NOT_READY', 'Not ready yet: see details.', problems);
    }
    return { status: 'ok', headPosition };
  }
}
