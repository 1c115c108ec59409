import { Body, Controller, Delete, HttpCode, Param, Patch, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Context, type RequestContext } from '#libs/http';
import { GroupId, OrgId, UserId } from '#libs/http';
import { OrganizationCommands } from '../organizations/organization-commands.service.js';
import { GroupMembersDto, GroupNameDto, LinkDirectoryGroupDto } from './groups.dtos.js';

@ApiTags('groups')
@ApiBearerAuth()
@Controller('v1/orgs/:orgId/groups')
export class GroupsController {
  constructor(private readonly commands: OrganizationCommands) {}

  @Post()
  @ApiOperation({ summary: 'Create a manual group; names are unique (R17)' })
  async create(
    @Param('orgId', OrgId) orgId: string,
    @Body() body: GroupNameDto,
    @Context() context: RequestContext,
  ) {
    const groupId = context.newId();
    const result = await this.commands.run(
      orgId,
      'CreateGroup',
      { groupId, name: body.name },
      context,
    );
    return { groupId, ...result };
  }

  @Post('directory')
  @ApiOperation({
    summary:
      'Link an identity-provider group; sign-ins keep its membership. Org admins, once support has enabled truora.directory (R18, R42)',
  })
  async link(
    @Param('orgId', OrgId) orgId: string,
    @Body() body: LinkDirectoryGroupDto,
    @Context() context: RequestContext,
  ) {
    const groupId = context.newId();
    const result = await this.commands.run(
      orgId,
      'LinkDirectoryGroup',
      { groupId, name: body.name, directoryGroupId: body.directoryGroupId },
      context,
    );
    return { groupId, ...result };
  }

  @Patch(':groupId')
  @ApiOperation({ summary: 'Rename a group (R17)' })
  rename(
    @Param('orgId', OrgId) orgId: string,
    @Param('groupId', GroupId) groupId: string,
    @Body() body: GroupNameDto,
    @Context() context: RequestContext,
  ) {
    return this.commands.run(orgId, 'RenameGroup', { groupId, name: body.name }, context);
  }

  @Delete(':groupId')
  @HttpCode(200)
  @ApiOperation({
    summary:
      'Delete a group with its workspace and project roles; refused while it owns a project (R19)',
  })
  delete(
    @Param('orgId', OrgId) orgId: string,
    @Param('groupId', GroupId) groupId: string,
    @Context() context: RequestContext,
  ) {
    return this.commands.run(orgId, 'DeleteGroup', { groupId }, context);
  }

  @Post(':groupId/members')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Add members to a manual group; directory groups follow sign-ins (R17, R18)',
  })
  addMembers(
    @Param('orgId', OrgId) orgId: string,
    @Param('groupId', GroupId) groupId: string,
    @Body() body: GroupMembersDto,
    @Context() context: RequestContext,
  ) {
    return this.commands.run(
      orgId,
      'AddGroupMembers',
      { groupId, userIds: [...body.userIds] },
      context,
    );
  }

  @Delete(':groupId/members/:userId')
  @HttpCode(200)
  @ApiOperation({ summary: 'Remove a member from a manual group (R17, R18)' })
  removeMember(
    @Param('orgId', OrgId) orgId: string,
    @Param('groupId', GroupId) groupId: string,
    @Param('userId', UserId) userId: string,
    @Context() context: RequestContext,
  ) {
    return this.commands.run(orgId, 'RemoveGroupMember', { groupId, userId }, context);
  }
}
