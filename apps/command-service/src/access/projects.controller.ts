import { Body, Controller, Delete, HttpCode, Param, Post, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { ApiCommand, Context, type RequestContext } from '#libs/http';
import { OrgId, principalFromPath, ProjectId } from '#libs/http';
import { OrganizationCommands } from '../organizations/organization-commands.service.js';
import { PRINCIPAL_TYPES, toPrincipal } from './principal.dto.js';
import {
  AddProjectMemberDto,
  CreateProjectDto,
  ProjectMemberRoleDto,
  RemoveProjectMembersDto,
  TransferOwnershipDto,
} from './projects.dtos.js';
import { CREATED_PROJECT } from '../command-answers.js';

@ApiTags('projects')
@ApiBearerAuth()
@Controller('v1/orgs/:orgId')
export class ProjectsController {
  constructor(private readonly commands: OrganizationCommands) {}

  @Post('projects')
  @ApiOperation({
    summary:
      'Create a project in a workspace; takes workspace role user, the creator owns it (R24)',
  })
  @ApiCommand({
    status: 201,
    answer: CREATED_PROJECT,
    refusals: { 403: 'Workspace role `user` or higher needed (R24)' },
  })
  async create(
    @Param('orgId', OrgId) orgId: string,
    @Body() body: CreateProjectDto,
    @Context() context: RequestContext,
  ) {
    const projectId = context.newId();
    const result = await this.commands.run(
      orgId,
      'CreateProject',
      { projectId, workspaceId: body.workspaceId, name: body.name },
      context,
    );
    return { projectId, ...result };
  }

  @Post('projects/:projectId/members')
  @HttpCode(200)
  @ApiOperation({
    summary:
      'Add a member or group to a project, as viewer unless said otherwise; owner, workspace and org admins (R26)',
  })
  @ApiCommand({
    refusals: {
      403: 'The owner, workspace admins and org admins (R26)',
      409: '`PRINCIPAL_ALREADY_IN_PROJECT`',
    },
  })
  addMember(
    @Param('orgId', OrgId) orgId: string,
    @Param('projectId', ProjectId) projectId: string,
    @Body() body: AddProjectMemberDto,
    @Context() context: RequestContext,
  ) {
    return this.commands.run(
      orgId,
      'AddProjectMember',
      {
        projectId,
        principal: toPrincipal(body.principal),
        ...(body.role ? { role: body.role } : {}),
      },
      context,
    );
  }

  @Put('projects/:projectId/members/:type/:id/role')
  @HttpCode(200)
  @ApiParam({ name: 'type', enum: PRINCIPAL_TYPES })
  @ApiOperation({ summary: "Change a project member's role between viewer and user (R26)" })
  @ApiCommand({
    refusals: {
      403: 'The owner, workspace admins and org admins (R26)',
      409: false,
      422: "The owner's role is fixed (`OWNER_ROLE_FIXED`)",
    },
  })
  changeRole(
    @Param('orgId', OrgId) orgId: string,
    @Param('projectId', ProjectId) projectId: string,
    @Param('type') type: string,
    @Param('id') id: string,
    @Body() body: ProjectMemberRoleDto,
    @Context() context: RequestContext,
  ) {
    return this.commands.run(
      orgId,
      'ChangeProjectMemberRole',
      { projectId, principal: principalFromPath(type, id), role: body.role },
      context,
    );
  }

  @Post('projects/:projectId/members/remove')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Remove members from a project in one batch; never the owner (R26)',
  })
  @ApiCommand({
    refusals: {
      403: 'The owner, workspace admins and org admins (R26)',
      409: false,
      422: '`OWNER_CANNOT_BE_REMOVED` (R26)',
    },
  })
  removeMembers(
    @Param('orgId', OrgId) orgId: string,
    @Param('projectId', ProjectId) projectId: string,
    @Body() body: RemoveProjectMembersDto,
    @Context() context: RequestContext,
  ) {
    return this.commands.run(
      orgId,
      'RemoveProjectMembers',
      { projectId, principals: body.principals.map(toPrincipal) },
      context,
    );
  }

  @Post('projects/:projectId/ownership')
  @HttpCode(200)
  @ApiOperation({
    summary:
      'Transfer ownership to a current project member; the previous owner becomes user (R25)',
  })
  @ApiCommand({
    refusals: {
      403: 'The owner, workspace admins and org admins (R25)',
      409: false,
      422: 'The new owner is not a project member (`NEW_OWNER_NOT_IN_PROJECT`)',
    },
  })
  transfer(
    @Param('orgId', OrgId) orgId: string,
    @Param('projectId', ProjectId) projectId: string,
    @Body() body: TransferOwnershipDto,
    @Context() context: RequestContext,
  ) {
    return this.commands.run(
      orgId,
      'TransferOwnership',
      { projectId, to: toPrincipal(body.to) },
      context,
    );
  }

  @Delete('projects/:projectId')
  @HttpCode(200)
  @ApiOperation({ summary: 'Delete a project; owner, workspace and org admins (R27)' })
  @ApiCommand({
    refusals: { 403: 'The owner, workspace admins and org admins (R27)', 409: false, 422: false },
  })
  delete(
    @Param('orgId', OrgId) orgId: string,
    @Param('projectId', ProjectId) projectId: string,
    @Context() context: RequestContext,
  ) {
    return this.commands.run(orgId, 'DeleteProject', { projectId }, context);
  }
}
