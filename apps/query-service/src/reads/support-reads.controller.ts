import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiRead, Context, KeyId, OrgId, type RequestContext } from '#libs/http';
import { ReadAccess, withAsOf } from '../read-access.js';
import { API_KEY } from './api-key-reads.schemas.js';
import { CATALOG } from './organization-reads.schemas.js';
import { ApiKeyViews } from './api-key-views.js';

/**
 * Support's reads of any organization ("Request to Support team"); auditors may read them too.
 * Anyone else is refused SUPPORT_ONLY by the authentication guard (libs/http support-routes.ts).
 */
@ApiTags('support')
@ApiBearerAuth()
@Controller('v1/support/organizations/:orgId')
export class SupportReadsController {
  constructor(
    private readonly access: ReadAccess,
    private readonly apiKeys: ApiKeyViews,
  ) {}

  @Get('catalog')
  @ApiOperation({ summary: "The organization's catalog (Master Client Permissions list)" })
  @ApiRead(CATALOG, { asOf: true, refusals: { 404: 'Unknown organization or key' } })
  async catalog(
    @Param('orgId', OrgId) orgId: string,
    @Query('asOf') asOf: unknown,
    @Context() context: RequestContext,
  ) {
    const view = await this.access.view(context.actor, orgId, asOf, context.now);
    return withAsOf(view, { permissions: view.reader.organization.catalog });
  }

  @Get('api-keys/:keyId')
  @ApiOperation({ summary: "Any key's permissions as of its creation (snapshot), and now (R16)" })
  @ApiRead(API_KEY, { asOf: true, refusals: { 404: 'Unknown organization or key' } })
  async apiKey(
    @Param('orgId', OrgId) orgId: string,
    @Param('keyId', KeyId) keyId: string,
    @Query('asOf') asOf: unknown,
    @Context() context: RequestContext,
  ) {
    const view = await this.access.view(context.actor, orgId, asOf, context.now);
    return withAsOf(view, await this.apiKeys.get(view, orgId, keyId));
  }
}
