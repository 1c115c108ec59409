import { Controller, Get, Inject, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { Context, KeyId, OrgId, type RequestContext } from '#libs/http';
import { Collections, type DocumentStore, type Filter } from '#libs/read-models';
import { findPage, pageRequest, stringFilters } from '../pagination.js';
import { ReadAccess, requirePermission } from '../read-access.js';
import { DOCUMENT_STORE } from '../tokens.js';
import { apiKeyView, ApiKeyViews } from './api-key-views.js';

const KEYS = 'truora.keys';

/** The API-key permission audit (R16): members holding truora.keys see their organization's keys. */
@ApiTags('reads: api keys')
@ApiBearerAuth()
@Controller('v1/orgs/:orgId/api-keys')
export class ApiKeyReadsController {
  constructor(
    @Inject(DOCUMENT_STORE) private readonly store: DocumentStore,
    private readonly access: ReadAccess,
    private readonly keys: ApiKeyViews,
  ) {}

  @Get()
  @ApiOperation({
    summary: "The organization's keys: snapshot, effective permissions, status and flags",
  })
  @ApiQuery({ name: 'status', required: false, enum: ['active', 'revoked'] })
  @ApiQuery({ name: 'limit', required: false })
  @ApiQuery({ name: 'cursor', required: false })
  async list(
    @Param('orgId', OrgId) orgId: string,
    @Query() query: Record<string, unknown>,
    @Context() context: RequestContext,
  ) {
    requirePermission(await this.access.resolve(context.actor, orgId), KEYS);
    const filter: Filter = { organizationId: orgId, ...stringFilters(query, ['status']) };
    return findPage(this.store, Collections.apiKeyAudits, filter, pageRequest(query), (d) =>
      apiKeyView(d, context.now),
    );
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
