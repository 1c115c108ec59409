import { Controller, Get, Query } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiOkResponse,
  ApiOperation,
  ApiQuery,
  ApiResponse,
  ApiTags,
} from '@nestjs/swagger';
import { ApiError, Context, type RequestContext } from '#libs/http';
import { ERROR_RESPONSE } from '../checks/check.schemas.js';
import { ApiQueries } from './audit-log.controller.js';
import { AuditLog, pageOf } from './audit-log.service.js';
import { AUDIT_FILTER_QUERIES, AUDIT_PAGE, AUDIT_PAGE_QUERIES } from './audit-log.schemas.js';
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
  @ApiQuery({ name: 'organization', required: false, description: 'An organization id' })
  @ApiQueries([...AUDIT_FILTER_QUERIES, ...AUDIT_PAGE_QUERIES])
  @ApiOkResponse({ schema: AUDIT_PAGE })
  @ApiResponse({
    status: 400,
    description: 'A malformed filter, limit or cursor',
    ...ERROR_RESPONSE,
  })
  @ApiResponse({
    status: 404,
    description: 'Anyone but support and auditors; an unknown organization',
    ...ERROR_RESPONSE,
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
