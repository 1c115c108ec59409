import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { generateApiKeySecret } from '#libs/auth';
import { ISSUED_API_KEY } from '../command-answers.js';

import { ApiCommand, Context, type RequestContext } from '#libs/http';
import { KeyId, OrgId } from '#libs/http';
import { IssueApiKeyDto } from './organization.dtos.js';
import { OrganizationCommands } from './organization-commands.service.js';

@ApiTags('api keys')
@ApiBearerAuth()
@Controller('v1/orgs/:orgId/api-keys')
export class ApiKeysController {
  constructor(private readonly commands: OrganizationCommands) {}

  @Post()
  @ApiOperation({
    summary:
      "Issue a key with a snapshot of the caller's role; the secret is shown once (R13, R14)",
  })
  @ApiCommand({
    status: 201,
    answer: ISSUED_API_KEY,
    refusals: {
      403: 'Lacks `truora.keys` (R13)',
      422: 'An expiry not in the future (`EXPIRY_NOT_IN_FUTURE`), or an Idempotency-Key reused',
    },
  })
  async issue(
    @Param('orgId', OrgId) orgId: string,
    @Body() body: IssueApiKeyDto,
    @Context() context: RequestContext,
  ) {
    const keyId = context.newId();
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
  @ApiCommand({ refusals: { 409: 'Already revoked (`API_KEY_ALREADY_REVOKED`)' } })
  revoke(
    @Param('orgId', OrgId) orgId: string,
    @Param('keyId', KeyId) keyId: string,
    @Context() context: RequestContext,
  ) {
    return this.commands.run(orgId, 'RevokeApiKey', { keyId }, context);
  }
}
