import { Body, Controller, Delete, HttpCode, Param, Post, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiCommand, Context, type RequestContext } from '#libs/http';
import { OrgId, UserId } from '#libs/http';
import { ChangeMemberRoleDto, InviteMemberDto } from './organization.dtos.js';
import { OrganizationCommands } from './organization-commands.service.js';
import { INVITED_MEMBER } from '../command-answers.js';

@ApiTags('members')
@ApiBearerAuth()
@Controller('v1/orgs/:orgId')
export class MembersController {
  constructor(private readonly commands: OrganizationCommands) {}

  @Post('invitations')
  @ApiOperation({
    summary: 'Invite a member by email; they join the Default workspace as user (R9, R10, R12)',
  })
  @ApiCommand({
    status: 201,
    answer: INVITED_MEMBER,
    refusals: {
      403: 'Lacks `truora.users`, or would give a role holding permissions the caller lacks (`PRIVILEGE_ESCALATION`, R12)',
      409: 'Already a member (`EMAIL_ALREADY_MEMBER`, R10)',
    },
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
  @ApiCommand({
    refusals: {
      403: 'A deactivated member (`MEMBER_DEACTIVATED`)',
      404: 'No member of this organization has that identity or e-mail',
      409: false,
    },
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
  @ApiCommand({
    refusals: {
      403: 'Escalation (`PRIVILEGE_ESCALATION`, R12) or a member who outranks the caller (`MEMBER_OUTRANKS_ACTOR`, R41)',
      409: 'No active full_access member would be left (`LAST_FULL_ACCESS_MEMBER`, R8)',
    },
  })
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
  @ApiCommand({
    refusals: {
      403: 'A member who outranks the caller (`MEMBER_OUTRANKS_ACTOR`, R41)',
      409: '`LAST_FULL_ACCESS_MEMBER` (R8) or `MEMBER_ALREADY_DEACTIVATED`',
    },
  })
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
  @ApiCommand({ refusals: { 409: 'Not deactivated (`MEMBER_NOT_DEACTIVATED`)' } })
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
  @ApiCommand({
    refusals: {
      403: '`MEMBER_OUTRANKS_ACTOR` (R41)',
      409: '`LAST_FULL_ACCESS_MEMBER` (R8), or the sole owner of live projects, listed in `details` (`MEMBER_OWNS_PROJECTS`, R11)',
    },
  })
  remove(
    @Param('orgId', OrgId) orgId: string,
    @Param('userId', UserId) userId: string,
    @Context() context: RequestContext,
  ) {
    return this.commands.run(orgId, 'RemoveMember', { userId }, context);
  }
}
