import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { Context, KeyId, OrgId, type RequestContext } from '#libs/http';
import { pageRequest } from '../pagination.js';
import { ReadAccess, requirePermission } from '../read-access.js';
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
  async list(
    @Param('orgId', OrgId) orgId: string,
    @Query() query: Record<string, unknown>,
    @Context() context: RequestContext,
  ) {
    requirePermission(await this.access.resolve(context.actor, orgId), KEYS);
    return this.keys.list(orgId, apiKeyStatusFilter(query.status), pageRequest(query), context.now);
  }

  @Get(':keyId')
  @ApiOperation({ summary: "One key's snapshot and effective permissions now" })
  async get(
    @Param('orgId', OrgId) orgId: string,
    @Param('keyId', KeyId) keyId: string,
    @Context() context: RequestContext,
  ) {
    requirePermission(await this.access.resolve(context.actor, orgId), KEYS);
    return this.keys.get(orgId, keyId, context.now);
  }
}
