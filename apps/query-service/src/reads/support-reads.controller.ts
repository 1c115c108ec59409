import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { Context, KeyId, OrgId, type RequestContext } from '#libs/http';
import { AS_OF_QUERY, ReadAccess, withAsOf } from '../read-access.js';
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
  @ApiQuery(AS_OF_QUERY)
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
  @ApiQuery(AS_OF_QUERY)
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
