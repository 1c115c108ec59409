import { Controller, Get, Headers, Param, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiProduces, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Context, OrgId, type RequestContext } from '#libs/http';
import { Inject } from '@nestjs/common';
import { ChangeFeedService } from './change-feed.service.js';
import { CHANGE_FEED_OPTIONS, type ChangeFeedOptions } from './change-feed.options.js';
import { resumePosition } from './resume-position.js';
import { SseStream } from './sse-stream.js';

const RESUME_DOC =
  'Exclusive position to resume after (the `id` of the last event received); `Last-Event-ID` takes precedence.';

/** The change feed over HTTP: the Kafka topic's envelopes as Server-Sent Events (SPEC §5). */
@ApiTags('change feed')
@ApiBearerAuth()
@Controller('v1')
export class ChangeFeedController {
  constructor(
    private readonly feed: ChangeFeedService,
    @Inject(CHANGE_FEED_OPTIONS) private readonly options: ChangeFeedOptions,
  ) {}

  @Get('orgs/:orgId/changes')
  @ApiOperation({
    summary: "An organization's events as Server-Sent Events (CloudEvents JSON; id = position)",
    description:
      'For support, auditors, org admins and API keys holding every admin-namespace permission ' +
      'of the catalog (R40); other members and keys of the organization get 403.',
  })
  @ApiProduces('text/event-stream')
  @ApiQuery({ name: 'after', required: false, description: RESUME_DOC })
  async organization(
    @Param('orgId', OrgId) organizationId: string,
    @Context() context: RequestContext,
    @Headers('last-event-id') lastEventId: string | undefined,
    @Query('after') after: unknown,
    @Res() response: Response,
  ): Promise<void> {
    const from = resumePosition(lastEventId, after);
    await this.feed.organizationFeed(context.actor, organizationId, from, this.stream(response));
  }

  @Get('support/changes')
  @ApiOperation({
    summary: "Every organization's events as Server-Sent Events (support, auditors)",
  })
  @ApiProduces('text/event-stream')
  @ApiQuery({ name: 'after', required: false, description: RESUME_DOC })
  async all(
    @Context() context: RequestContext,
    @Headers('last-event-id') lastEventId: string | undefined,
    @Query('after') after: unknown,
    @Res() response: Response,
  ): Promise<void> {
    const from = resumePosition(lastEventId, after);
    await this.feed.allFeed(context.actor, from, this.stream(response));
  }

  private stream(response: Response): SseStream {
    return new SseStream(response, this.options.heartbeatMs);
  }
}
