import { randomUUID } from 'node:crypto';
import { Body, Controller, Get, HttpCode, NotFoundException, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { generateApiKeySecret } from '#libs/auth';
import { describeApiKey, listApiKeys } from '#libs/domain';
import { Context, type RequestContext } from '#libs/http';
import { KeyId, OrgId } from '#libs/http';
import { IssueApiKeyDto } from './organization.dtos.js';
import { OrganizationCommands } from './organization-commands.service.js';
import { OrganizationReader } from './organization-reader.service.js';

const KEYS = 'truora.keys';

@ApiTags('api keys')
@ApiBearerAuth()
@Controller('v1/orgs/:orgId/api-keys')
export class ApiKeysController {
  constructor(
    private readonly commands: OrganizationCommands,
    private readonly reader: OrganizationReader,
  ) {}

  @Post()
  @ApiOperation({
    summary:
      "Issue a key with a snapshot of the caller's role; the secret is shown once (R13, R14)",
  })
  async issue(
    @Param('orgId', OrgId) orgId: string,
    @Body() body: IssueApiKeyDto,
    @Context() context: RequestContext,
  ) {
    const keyId = randomUUID();
    const { secret, secretHash, secretPrefix } = generateApiKeySecret();
    const result = await this.commands.run(
      orgId,
      'IssueApiKey',
      { keyId, name: body.name, secretHash, secretPrefix, expiresAt: body.expiresAt ?? null },
      context,
    );
    return { keyId, secret, ...result };
  }

  @Post(':keyId/revoke')
  @HttpCode(200)
  @ApiOperation({ summary: 'Revoke a key: it authenticates nothing from now on (R15)' })
  revoke(
    @Param('orgId', OrgId) orgId: string,
    @Param('keyId', KeyId) keyId: string,
    @Context() context: RequestContext,
  ) {
    return this.commands.run(orgId, 'RevokeApiKey', { keyId }, context);
  }

  @Get()
  @ApiOperation({ summary: "The organization's keys, never a secret (R16)" })
  async list(@Param('orgId', OrgId) orgId: string, @Context() context: RequestContext) {
    const state = await this.reader.readAs(context.actor, orgId, KEYS);
    return { apiKeys: listApiKeys(state, context.now) };
  }

  @Get(':keyId')
  @ApiOperation({ summary: "A key's snapshot and effective permissions (R16)" })
  async get(
    @Param('orgId', OrgId) orgId: string,
    @Param('keyId', KeyId) keyId: string,
    @Context() context: RequestContext,
  ) {
    const state = await this.reader.readAs(context.actor, orgId, KEYS);
    const view = describeApiKey(state, keyId, context.now);
    if (!view)
      throw new NotFoundException({ code: 'API_KEY_NOT_FOUND', message: 'No such API key.' });
    return view;
  }
}
