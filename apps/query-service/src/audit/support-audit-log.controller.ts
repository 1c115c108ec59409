import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiError, ApiRead, Context, type RequestContext } from '#libs/http';
import { ApiQueries } from '../openapi-reads.js';
import { AuditLog, pageOf } from './audit-log.service.js';
import { AUDIT_ENTRY, AUDIT_FILTER_QUERIES, AUDIT_REFUSALS } from './audit-log.schemas.js';
import { parseAuditPage } from './audit-query.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** R34 across organizations, for support and auditors. */
@ApiTags('support')
@ApiBearerAuth()
@Controller('v1/support/audit-log')
export class SupportAuditLogController {
  constructor(private readonly log: AuditLog) {}

  @Get()
  @ApiOperation({
    summary:
      "R34: every organization's audit log in global order, with the same filters, or one organization's (support and auditors)",
  })
  @ApiQueries([
    {
      name: 'organization',
      description: "An organization id: only that organization's entries",
      schema: { type: 'string', format: 'uuid' },
    },
    ...AUDIT_FILTER_QUERIES,
  ])
  @ApiRead(AUDIT_ENTRY, {
    page: 'AuditLogPage',
    refusals: {
      400: AUDIT_REFUSALS[400],
      404: 'An unknown organization',
    },
  })
  async page(@Query() query: Record<string, unknown>, @Context() context: RequestContext) {
    // Only support and auditors get here (libs/http support-routes.ts).
    const { organization, ...rest } = query;
    const request = parseAuditPage(rest);
    if (organization === undefined) {
      return pageOf(this.log.allEntries(request.filter, request.after), request.limit);
    }
    if (typeof organization !== 'string' || !UUID.test(organization)) {
      throw new ApiError(400, 'INVALID_ORGANIZATION', 'organization is an organization id.', {
        fields: ['organization'],
      });
    }
    await this.log.authorize(context.actor, organization);
    return this.log.page(organization, request);
  }
}
