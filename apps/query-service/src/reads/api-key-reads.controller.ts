import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { Context, KeyId, OrgId, type RequestContext } from '#libs/http';
import { pageRequest } from '../pagination.js';
import { AS_OF_QUERY, ReadAccess, requirePermission, withAsOf } from '../read-access.js';
import { API_KEY_STATUSES, apiKeyStatusFilter, ApiKeyViews } from './api-key-views.js';

const KEYS = 'truora.keys';

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
  @ApiQuery({
    name: 'status',
    required: false,
    enum: API_KEY_STATUSES,
    description: 'The status at the time of the read: an expired key is not `active` (R15).',
  })
  @ApiQuery({ name: 'limit', required: false })
  @ApiQuery({ name: 'cursor', required: false })
  @ApiQuery(AS_OF_QUERY)
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
  @ApiQuery(AS_OF_QUERY)
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
