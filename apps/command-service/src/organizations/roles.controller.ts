import { Body, Controller, Delete, HttpCode, Param, Patch, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';

import { Context, type RequestContext } from '#libs/http';
import { OrgId, RoleIdPipe } from '#libs/http';
import { CreateRoleDto, UpdateRoleDto } from './organization.dtos.js';
import { OrganizationCommands } from './organization-commands.service.js';

@ApiTags('permissions and roles')
@ApiBearerAuth()
@Controller('v1/orgs/:orgId')
export class RolesController {
  constructor(private readonly commands: OrganizationCommands) {}

  @Post('roles')
  @ApiOperation({ summary: 'Create a custom role (R3, R5, R6, R12)' })
  async create(
    @Param('orgId', OrgId) orgId: string,
    @Body() body: CreateRoleDto,
    @Context() context: RequestContext,
  ) {
    const roleId = context.newId();
    const result = await this.commands.run(orgId, 'CreateRole', { roleId, ...body }, context);
    return { roleId, ...result };
  }

  @Patch('roles/:roleId')
  @ApiOperation({ summary: 'Rename a custom role or replace its permissions (R3, R5, R12)' })
  update(
    @Param('orgId', OrgId) orgId: string,
    @Param('roleId', RoleIdPipe) roleId: string,
    @Body() body: UpdateRoleDto,
    @Context() context: RequestContext,
  ) {
    return this.commands.run(orgId, 'UpdateRole', { roleId, ...body }, context);
  }

  @Delete('roles/:roleId')
  @HttpCode(200)
  @ApiOperation({ summary: 'Delete a custom role no member holds (R5)' })
  delete(
    @Param('orgId', OrgId) orgId: string,
    @Param('roleId', RoleIdPipe) roleId: string,
    @Context() context: RequestContext,
  ) {
    return this.commands.run(orgId, 'DeleteRole', { roleId }, context);
  }
}
