import { Controller, Get, Param } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Context, KeyId, OrgId, type RequestContext } from '#libs/http';
import { notFound, ReadAccess } from '../read-access.js';
import { ApiKeyViews } from './api-key-views.js';

/** Support's reads of any organization ("Request to Support team"); auditors may read them too. */
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
  async catalog(@Param('orgId', OrgId) orgId: string, @Context() context: RequestContext) {
    operatorsOnly(context);
    const { organization } = await this.access.resolve(context.actor, orgId);
    return { permissions: organization.catalog };
  }

  @Get('api-keys/:keyId')
  @ApiOperation({ summary: "Any key's permissions as of its creation (snapshot), and now (R16)" })
  async apiKey(
    @Param('orgId', OrgId) orgId: string,
    @Param('keyId', KeyId) keyId: string,
    @Context() context: RequestContext,
  ) {
    operatorsOnly(context);
    await this.access.resolve(context.actor, orgId);
    return this.apiKeys.get(orgId, keyId, context.now);
  }
}

/** Support routes answer support and auditors; to anyone else they do not exist. */
function operatorsOnly(context: RequestContext): void {
  if (context.actor.type !== 'support' && context.actor.type !== 'auditor')
    throw notFound('NOT_FOUND', 'resource');
}
