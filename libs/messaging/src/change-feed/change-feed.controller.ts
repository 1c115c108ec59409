import {
  applyDecorators,
  Controller,
  Get,
  Headers,
  Inject,
  Param,
  Query,
  Res,
} from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { ApiRead, Context, OrgId, type RequestContext, type Refusals } from '#libs/http';
import { ChangeFeedService } from './change-feed.service.js';
import { CHANGE_FEED_OPTIONS, type ChangeFeedOptions } from './change-feed.options.js';
import { resumePosition } from './resume-position.js';
import { SseStream } from './sse-stream.js';

const POSITION = { type: 'string', pattern: '^(0|[1-9][0-9]{0,29})$', example: '42' };

/**
 * A feed: where it resumes (`after`, or `Last-Event-ID` as an EventSource sends it on
 * reconnect), the stream it answers, and its refusals, all JSON and all before the first byte.
 */
function ApiFeed(refusals: Refusals) {
  return applyDecorators(
    ApiQuery({
      name: 'after',
      required: false,
      description:
        'Exclusive position to resume after (the `id` of the last event received); `Last-Event-ID` takes precedence. Absent: from the beginning.',
      schema: POSITION,
    }),
    ApiHeader({
      name: 'Last-Event-ID',
      required: false,
      description: 'Sent by an EventSource when it reconnects: the `id` of the last event received',
      schema: POSITION,
    }),
    // minPosition too: the feed is served by the query service, whose reads all honour it.
    ApiRead(
      {
        description: 'Server-Sent Events, open until the client leaves',
        content: {
          'text/event-stream': {
            type: 'string',
            description:
              'A `retry:` line first; then per event `id: <position>` and `data: <CloudEvent as JSON>` (secrets stripped, S2), in global order; `: heartbeat` comments while idle; a closing comment says why the stream ended',
          },
        },
      },
      {
        refusals: {
          400: '`INVALID_POSITION`: `after` or `Last-Event-ID` is not a decimal position',
          ...refusals,
        },
      },
    ),
  );
}

/** The change feed over HTTP: the Kafka topic's envelopes as Server-Sent Events (ADR 11, R40). */
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
  @ApiFeed({
    403: '`CHANGE_FEED_FORBIDDEN`: a member who is not an org admin, or a key not holding every admin-namespace permission of the catalog (R40); ask an org admin',
    404: 'Unknown organization, or not one the caller belongs to (S1)',
  })
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
  @ApiFeed({ 404: false })
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
