import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';

import { Context, type RequestContext } from '#libs/http';
import { OrgId } from '#libs/http';
import { CreateOrganizationDto, PermissionsDto } from './organization.dtos.js';
import { OrganizationCommands } from './organization-commands.service.js';

/** The seeds' "Request to Support team" actions: organizations, catalogs, any API key. */
@ApiTags('support')
@ApiBearerAuth()
@Controller('v1/support/organizations')
export class SupportController {
  constructor(private readonly commands: OrganizationCommands) {}

  @Post()
  @ApiOperation({
    summary: 'Create an organization with its catalog, first user and Default workspace (R1)',
  })
  async create(@Body() body: CreateOrganizationDto, @Context() context: RequestContext) {
    const organizationId = context.newId();
    const firstUserId = context.newId();
    const defaultWorkspaceId = context.newId();
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
}
