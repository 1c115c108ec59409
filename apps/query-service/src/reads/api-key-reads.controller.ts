import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiRead, Context, KeyId, OrgId, type RequestContext } from '#libs/http';
import { pageRequest } from '../pagination.js';
import { ApiQueries, forbiddenAsOf } from '../openapi-reads.js';
import { ReadAccess, requirePermission, withAsOf } from '../read-access.js';
import { API_KEY } from './api-key-reads.schemas.js';
import { API_KEY_STATUSES, apiKeyStatusFilter, ApiKeyViews } from './api-key-views.js';

const KEYS = 'truora.keys';

const REFUSALS = {
  403: forbiddenAsOf(
    '`MISSING_PERMISSION`: the caller does not hold truora.keys now; an org admin can give them a role with it (R16).',
  ),
};

/** The API-key permission audit (R16): members holding truora.keys see their organization's keys. */
@ApiTags('reads: api keys')
@ApiBearerAuth()
@Controller('v1/orgs/:orgId/api-keys')
export class ApiKeyReadsController {
  constructor(
    private readonly access: ReadAccess,
    private readonly keys: ApiKeyViews,
  ) {}

  @Get()
  @ApiOperation({
    summary: "The organization's keys: snapshot, effective permissions, status and flags",
  })
  @ApiQueries([
    {
      name: 'status',
      schema: { type: 'string', enum: [...API_KEY_STATUSES] },
      description: 'The status at the time of the read: an expired key is not `active` (R15).',
    },
  ])
  @ApiRead(API_KEY, { asOf: true, page: 'ApiKeyPage', refusals: REFUSALS })
  async list(
    @Param('orgId', OrgId) orgId: string,
    @Query() query: Record<string, unknown>,
    @Context() context: RequestContext,
  ) {
    const view = await this.access.view(context.actor, orgId, query.asOf, context.now);
    // The right to the audit is the caller's now, whatever point is read (R16, R33).
    requirePermission(view.caller, KEYS);
    const status = apiKeyStatusFilter(query.status);
    return withAsOf(view, await this.keys.list(view, orgId, status, pageRequest(query)));
  }

  @Get(':keyId')
  @ApiOperation({
    summary: "One key's snapshot and effective permissions now (or as of a past point)",
  })
  @ApiRead(API_KEY, { asOf: true, refusals: REFUSALS })
  async get(
    @Param('orgId', OrgId) orgId: string,
    @Param('keyId', KeyId) keyId: string,
    @Query('asOf') asOf: unknown,
    @Context() context: RequestContext,
  ) {
    const view = await this.access.view(context.actor, orgId, asOf, context.now);
    requirePermission(view.caller, KEYS);
    return withAsOf(view, await this.keys.get(view, orgId, keyId));
  }
}
