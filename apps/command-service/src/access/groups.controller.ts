import { Body, Controller, Delete, HttpCode, Param, Patch, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiCommand, Context, type RequestContext } from '#libs/http';
import { GroupId, OrgId, UserId } from '#libs/http';
import { OrganizationCommands } from '../organizations/organization-commands.service.js';
import { GroupMembersDto, GroupNameDto, LinkDirectoryGroupDto } from './groups.dtos.js';
import { CREATED_GROUP } from '../command-answers.js';

@ApiTags('groups')
@ApiBearerAuth()
@Controller('v1/orgs/:orgId/groups')
export class GroupsController {
  constructor(private readonly commands: OrganizationCommands) {}

  @Post()
  @ApiOperation({ summary: 'Create a manual group; names are unique (R17)' })
  @ApiCommand({
    status: 201,
    answer: CREATED_GROUP,
    refusals: { 403: 'Org admins only', 409: 'Another group has that name (`GROUP_NAME_TAKEN`)' },
  })
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
  @ApiCommand({
    status: 201,
    answer: CREATED_GROUP,
    refusals: {
      403: 'Org admins only; without `truora.directory` in the catalog, `ENTITLEMENT_REQUIRED` (only Support adds it, R42)',
      409: '`GROUP_NAME_TAKEN` or `DIRECTORY_GROUP_ALREADY_LINKED`',
    },
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
  @ApiCommand({ refusals: { 403: 'Org admins only', 409: '`GROUP_NAME_TAKEN`' } })
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
  @ApiCommand({
    refusals: {
      403: 'Org admins only',
      409: 'The group owns a live project (`GROUP_OWNS_PROJECTS`, R19)',
    },
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
  @ApiCommand({
    refusals: {
      403: 'Org admins only',
      409: 'Already in the group (`ALREADY_GROUP_MEMBER`)',
      422: 'A directory group, which follows sign-ins (`DIRECTORY_GROUP_READ_ONLY`, R18)',
    },
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
  @ApiCommand({
    refusals: { 403: 'Org admins only', 409: false, 422: '`DIRECTORY_GROUP_READ_ONLY` (R18)' },
  })
  removeMember(
    @Param('orgId', OrgId) orgId: string,
    @Param('groupId', GroupId) groupId: string,
    @Param('userId', UserId) userId: string,
    @Context() context: RequestContext,
  ) {
    return this.commands.run(orgId, 'RemoveGroupMember', { groupId, userId }, context);
  }
}
