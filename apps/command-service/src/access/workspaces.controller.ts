import { Body, Controller, Delete, HttpCode, Param, Patch, Post, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { ApiCommand, Context, type RequestContext } from '#libs/http';
import { OrgId, principalFromPath, WorkspaceId } from '#libs/http';
import { OrganizationCommands } from '../organizations/organization-commands.service.js';
import { PRINCIPAL_TYPES, toPrincipal } from './principal.dto.js';
import {
  CreateWorkspaceDto,
  WorkspaceNameDto,
  WorkspacePrincipalDto,
  WorkspaceRoleDto,
} from './workspaces.dtos.js';
import { CREATED_WORKSPACE } from '../command-answers.js';

@ApiTags('workspaces')
@ApiBearerAuth()
@Controller('v1/orgs/:orgId/workspaces')
export class WorkspacesController {
  constructor(private readonly commands: OrganizationCommands) {}

  @Post()
  @ApiOperation({
    summary:
      'Create a workspace with its initial principals; org admins, once support has enabled truora.workspaces (R20, R42)',
  })
  @ApiCommand({
    status: 201,
    answer: CREATED_WORKSPACE,
    refusals: {
      403: 'Org admins only; without `truora.workspaces`, `ENTITLEMENT_REQUIRED` (a paid feature Support enables, R42)',
      409: 'Another workspace has that name (`WORKSPACE_NAME_TAKEN`)',
    },
  })
  async create(
    @Param('orgId', OrgId) orgId: string,
    @Body() body: CreateWorkspaceDto,
    @Context() context: RequestContext,
  ) {
    const workspaceId = context.newId();
    const principals = (body.principals ?? []).map(({ principal, role }) => ({
      principal: toPrincipal(principal),
      role,
    }));
    const result = await this.commands.run(
      orgId,
      'CreateWorkspace',
      { workspaceId, name: body.name, principals },
      context,
    );
    return { workspaceId, ...result };
  }

  @Patch(':workspaceId')
  @ApiOperation({ summary: 'Rename a workspace; names are unique (R20, R21)' })
  @ApiCommand({ refusals: { 403: 'Org and workspace admins only', 409: '`WORKSPACE_NAME_TAKEN`' } })
  rename(
    @Param('orgId', OrgId) orgId: string,
    @Param('workspaceId', WorkspaceId) workspaceId: string,
    @Body() body: WorkspaceNameDto,
    @Context() context: RequestContext,
  ) {
    return this.commands.run(orgId, 'RenameWorkspace', { workspaceId, name: body.name }, context);
  }

  @Post(':workspaceId/principals')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Give a member or group a workspace role; org and workspace admins (R21)',
  })
  @ApiCommand({
    refusals: { 403: 'Org and workspace admins only', 409: '`PRINCIPAL_ALREADY_IN_WORKSPACE`' },
  })
  addPrincipal(
    @Param('orgId', OrgId) orgId: string,
    @Param('workspaceId', WorkspaceId) workspaceId: string,
    @Body() body: WorkspacePrincipalDto,
    @Context() context: RequestContext,
  ) {
    return this.commands.run(
      orgId,
      'AddWorkspacePrincipal',
      { workspaceId, principal: toPrincipal(body.principal), role: body.role },
      context,
    );
  }

  @Put(':workspaceId/principals/:type/:id/role')
  @HttpCode(200)
  @ApiParam({ name: 'type', enum: PRINCIPAL_TYPES })
  @ApiOperation({
    summary: "Change a principal's workspace role; org and workspace admins (R21)",
  })
  @ApiCommand({ refusals: { 403: 'Org and workspace admins only', 409: false } })
  changeRole(
    @Param('orgId', OrgId) orgId: string,
    @Param('workspaceId', WorkspaceId) workspaceId: string,
    @Param('type') type: string,
    @Param('id') id: string,
    @Body() body: WorkspaceRoleDto,
    @Context() context: RequestContext,
  ) {
    return this.commands.run(
      orgId,
      'ChangeWorkspacePrincipalRole',
      { workspaceId, principal: principalFromPath(type, id), role: body.role },
      context,
    );
  }

  @Delete(':workspaceId/principals/:type/:id')
  @HttpCode(200)
  @ApiParam({ name: 'type', enum: PRINCIPAL_TYPES })
  @ApiOperation({
    summary: 'Take a principal out of a workspace; org and workspace admins (R21)',
  })
  @ApiCommand({ refusals: { 403: 'Org and workspace admins only', 409: false } })
  removePrincipal(
    @Param('orgId', OrgId) orgId: string,
    @Param('workspaceId', WorkspaceId) workspaceId: string,
    @Param('type') type: string,
    @Param('id') id: string,
    @Context() context: RequestContext,
  ) {
    return this.commands.run(
      orgId,
      'RemoveWorkspacePrincipal',
      { workspaceId, principal: principalFromPath(type, id) },
      context,
    );
  }
}
