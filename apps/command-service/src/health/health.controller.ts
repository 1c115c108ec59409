import { Controller, Get, Inject, ServiceUnavailableException } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { EventStore } from '#libs/event-store';
import { Public } from '#libs/http';
import { EVENT_STORE } from '../infrastructure/tokens.js';

@ApiTags('ops')
@Public()
@Controller('health')
export class HealthController {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  @Get('live')
  @ApiOperation({ summary: 'The process is up' })
  live() {
    return { status: 'ok' };
  }

  @Get('ready')
  @ApiOperation({ summary: 'The event store answers' })
  async ready() {
    try {
      return { status: 'ok', headPosition: await this.store.headPosition() };
    } catch {
      throw new ServiceUnavailableException({
        code: 'EVENT_STORE_UNAVAILABLE',
        message: 'The event store does not answer; check EVENTSTORE_URL or the data directory.',
      });
    }
  }
}
