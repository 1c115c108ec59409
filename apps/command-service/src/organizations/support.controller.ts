import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CREATED_ORGANIZATION } from '../command-answers.js';

import { ApiCommand, Context, type RequestContext } from '#libs/http';
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
  @ApiCommand({
    status: 201,
    answer: CREATED_ORGANIZATION,
    refusals: {
      404: false,
      409: false,
    },
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
  @ApiCommand({
    refusals: {
      422: 'A permission name that is not `namespace.action` (`INVALID_PERMISSION`), or an Idempotency-Key reused',
    },
  })
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
  @ApiCommand()
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
