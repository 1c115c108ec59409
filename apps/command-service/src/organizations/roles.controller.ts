import { randomUUID } from 'node:crypto';
import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { BUILT_IN_ROLE_IDS, rolePermissions } from '#libs/domain';
import { Context, type RequestContext } from '#libs/http';
import { OrgId, RoleIdPipe } from '#libs/http';
import { CreateRoleDto, UpdateRoleDto } from './organization.dtos.js';
import { OrganizationCommands } from './organization-commands.service.js';
import { OrganizationReader } from './organization-reader.service.js';

@ApiTags('permissions and roles')
@ApiBearerAuth()
@Controller('v1/orgs/:orgId')
export class RolesController {
  constructor(
    private readonly commands: OrganizationCommands,
    private readonly reader: OrganizationReader,
  ) {}

  @Get('permissions')
  @ApiOperation({ summary: "The organization's catalog, as members see it" })
  async permissions(@Param('orgId', OrgId) orgId: string, @Context() context: RequestContext) {
    const state = await this.reader.readAs(context.actor, orgId);
    return { permissions: [...state.catalog].sort() };
  }

  @Get('roles')
  @ApiOperation({ summary: 'Roles with their permissions, built-in ones first (R2)' })
  async roles(@Param('orgId', OrgId) orgId: string, @Context() context: RequestContext) {
    const state = await this.reader.readAs(context.actor, orgId);
    const builtIn = BUILT_IN_ROLE_IDS.map((roleId) => ({
      roleId,
      name: roleId,
      builtIn: true,
      permissions: rolePermissions(state, roleId),
    }));
    const custom = [...state.roles.values()].map((role) => ({ ...role, builtIn: false }));
    return { roles: [...builtIn, ...custom] };
  }

  @Post('roles')
  @ApiOperation({ summary: 'Create a custom role (R3, R5, R6, R12)' })
  async create(
    @Param('orgId', OrgId) orgId: string,
    @Body() body: CreateRoleDto,
    @Context() context: RequestContext,
  ) {
    const roleId = randomUUID();
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
