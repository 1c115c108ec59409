import { randomUUID } from 'node:crypto';
import { Body, Controller, Get, HttpCode, NotFoundException, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { describeApiKey } from '#libs/domain';
import { Context, type RequestContext } from '#libs/http';
import { KeyId, OrgId } from '#libs/http';
import { CreateOrganizationDto, PermissionsDto } from './organization.dtos.js';
import { OrganizationCommands } from './organization-commands.service.js';
import { OrganizationReader } from './organization-reader.service.js';

/** The seeds' "Request to Support team" actions: organizations, catalogs, any API key. */
@ApiTags('support')
@ApiBearerAuth()
@Controller('v1/support/organizations')
export class SupportController {
  constructor(
    private readonly commands: OrganizationCommands,
    private readonly reader: OrganizationReader,
  ) {}

  @Post()
  @ApiOperation({
    summary: 'Create an organization with its catalog, first user and Default workspace (R1)',
  })
  async create(@Body() body: CreateOrganizationDto, @Context() context: RequestContext) {
    const organizationId = randomUUID();
    const firstUserId = randomUUID();
    const defaultWorkspaceId = randomUUID();
    const result = await this.commands.run(
      organizationId,
      'CreateOrganization',
      {
        organizationId,
        name: body.name,
        catalog: body.catalog ?? [],
        withoutDefaultAdminPermissions: body.withoutDefaultAdminPermissions ?? false,
        firstUser: { userId: firstUserId, email: body.firstUser.email },
        defaultWorkspaceId,
      },
      context,
    );
    return { organizationId, firstUserId, defaultWorkspaceId, ...result };
  }

  @Get(':orgId/catalog')
  @ApiOperation({ summary: "The organization's catalog (Master Client Permissions list)" })
  async catalog(@Param('orgId', OrgId) orgId: string, @Context() context: RequestContext) {
    const state = await this.reader.readAs(supportOnly(context), orgId);
    return { permissions: [...state.catalog].sort() };
  }

  @Post(':orgId/catalog/permissions')
  @HttpCode(200)
  @ApiOperation({ summary: 'Add permissions to the catalog (R2)' })
  add(
    @Param('orgId', OrgId) orgId: string,
    @Body() body: PermissionsDto,
    @Context() context: RequestContext,
  ) {
    return this.commands.run(
      orgId,
      'AddCatalogPermissions',
      { permissions: body.permissions },
      context,
    );
  }

  @Post(':orgId/catalog/permissions/remove')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Remove permissions from the catalog, custom roles and key effective permissions (R4)',
  })
  remove(
    @Param('orgId', OrgId) orgId: string,
    @Body() body: PermissionsDto,
    @Context() context: RequestContext,
  ) {
    return this.commands.run(
      orgId,
      'RemoveCatalogPermissions',
      { permissions: body.permissions },
      context,
    );
  }

  @Get(':orgId/api-keys/:keyId')
  @ApiOperation({ summary: "An API key's permission snapshot and effective permissions (R16)" })
  async apiKey(
    @Param('orgId', OrgId) orgId: string,
    @Param('keyId', KeyId) keyId: string,
    @Context() context: RequestContext,
  ) {
    const state = await this.reader.readAs(supportOnly(context), orgId);
    const view = describeApiKey(state, keyId, context.now);
    if (!view)
      throw new NotFoundException({ code: 'API_KEY_NOT_FOUND', message: 'No such API key.' });
    return view;
  }
}

/** Support routes answer support (and read-only auditors); to anyone else they do not exist. */
function supportOnly(context: RequestContext) {
  if (context.actor.type !== 'support' && context.actor.type !== 'auditor') {
    throw new NotFoundException({ code: 'NOT_FOUND', message: 'No such resource.' });
  }
  return context.actor;
}
