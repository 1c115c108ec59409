import { Body, Controller, Delete, HttpCode, Param, Patch, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CREATED_ROLE } from '../command-answers.js';

import { ApiCommand, Context, type RequestContext } from '#libs/http';
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
  @ApiCommand({
    status: 201,
    answer: CREATED_ROLE,
    refusals: {
      403: 'Without `truora.roles` in the catalog (`ENTITLEMENT_REQUIRED`: only Support adds it, R6), or a permission the caller lacks (`PRIVILEGE_ESCALATION`, R12)',
      409: 'Another role has that name, case-insensitive (`ROLE_NAME_TAKEN`)',
      422: 'A permission not in the catalog (`PERMISSIONS_NOT_IN_CATALOG`, R3), or an Idempotency-Key reused',
    },
  })
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
  @ApiCommand({
    refusals: {
      403: 'Without `truora.roles` (`ENTITLEMENT_REQUIRED`: ask Support), or escalation (`PRIVILEGE_ESCALATION`, R12)',
      409: '`ROLE_NAME_TAKEN`',
      422: 'A built-in role (`BUILT_IN_ROLE`, R5) or a permission not in the catalog (`PERMISSIONS_NOT_IN_CATALOG`)',
    },
  })
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
  @ApiCommand({
    refusals: {
      409: 'A member holds it (`ROLE_IN_USE`, R5)',
      422: 'A built-in role (`BUILT_IN_ROLE`)',
    },
  })
  delete(
    @Param('orgId', OrgId) orgId: string,
    @Param('roleId', RoleIdPipe) roleId: string,
    @Context() context: RequestContext,
  ) {
    return this.commands.run(orgId, 'DeleteRole', { roleId }, context);
  }
}
