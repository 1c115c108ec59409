import { Body, Controller, Delete, HttpCode, Param, Post, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Context, type RequestContext } from '#libs/http';
import { OrgId, UserId } from '#libs/http';
import { ChangeMemberRoleDto, InviteMemberDto } from './organization.dtos.js';
import { OrganizationCommands } from './organization-commands.service.js';

@ApiTags('members')
@ApiBearerAuth()
@Controller('v1/orgs/:orgId')
export class MembersController {
  constructor(private readonly commands: OrganizationCommands) {}

  @Post('invitations')
  @ApiOperation({
    summary: 'Invite a member by email; they join the Default workspace as user (R9, R10, R12)',
  })
  async invite(
    @Param('orgId', OrgId) orgId: string,
    @Body() body: InviteMemberDto,
    @Context() context: RequestContext,
  ) {
    const userId = context.newId();
    const result = await this.commands.run(orgId, 'InviteMember', { userId, ...body }, context);
    return { userId, ...result };
  }

  @Post('sign-ins')
  @HttpCode(200)
  @ApiOperation({
    summary: "Record the caller's sign-in from their JWT claims; an invitee becomes active (R9)",
  })
  signIn(@Param('orgId', OrgId) orgId: string, @Context() context: RequestContext) {
    const { actor } = context;
    // The claims are the verified token's, never the body's: one signs in only as oneself.
    const claims =
      actor.type === 'user'
        ? { subject: actor.subject, email: actor.email, groups: [...actor.groups] }
        : { subject: '', email: '', groups: [] };
    return this.commands.run(orgId, 'SignIn', claims, context);
  }

  @Put('members/:userId/role')
  @HttpCode(200)
  @ApiOperation({ summary: "Change a member's role (R7, R8, R12)" })
  changeRole(
    @Param('orgId', OrgId) orgId: string,
    @Param('userId', UserId) userId: string,
    @Body() body: ChangeMemberRoleDto,
    @Context() context: RequestContext,
  ) {
    return this.commands.run(orgId, 'ChangeMemberRole', { userId, roleId: body.roleId }, context);
  }

  @Post('members/:userId/deactivate')
  @HttpCode(200)
  @ApiOperation({ summary: 'Deactivate a member (R8)' })
  deactivate(
    @Param('orgId', OrgId) orgId: string,
    @Param('userId', UserId) userId: string,
    @Context() context: RequestContext,
  ) {
    return this.commands.run(orgId, 'DeactivateMember', { userId }, context);
  }

  @Post('members/:userId/reactivate')
  @HttpCode(200)
  @ApiOperation({ summary: 'Reactivate a deactivated member' })
  reactivate(
    @Param('orgId', OrgId) orgId: string,
    @Param('userId', UserId) userId: string,
    @Context() context: RequestContext,
  ) {
    return this.commands.run(orgId, 'ReactivateMember', { userId }, context);
  }

  @Delete('members/:userId')
  @HttpCode(200)
  @ApiOperation({ summary: 'Remove a member from the organization (R8, R11)' })
  remove(
    @Param('orgId', OrgId) orgId: string,
    @Param('userId', UserId) userId: string,
    @Context() context: RequestContext,
  ) {
    return this.commands.run(orgId, 'RemoveMember', { userId }, context);
  }
}
