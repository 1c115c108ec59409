import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiRead, Context, OrgId, UserId, type RequestContext } from '#libs/http';
import { Collections, type Filter } from '#libs/read-models';
import { findPage, pageRequest, stringFilters, withoutId } from '../pagination.js';
import { ApiQueries, AS_OF_REFUSAL } from '../openapi-reads.js';
import { notFound, ReadAccess, withAsOf } from '../read-access.js';
import { CATALOG, GROUP, MEMBER, ROLE } from './organization-reads.schemas.js';

/** Catalog, roles, members and groups: what every active member of the organization may see. */
@ApiTags('reads: organization')
@ApiBearerAuth()
@Controller('v1/orgs/:orgId')
export class OrganizationReadsController {
  constructor(private readonly access: ReadAccess) {}

  @Get('permissions')
  @ApiOperation({ summary: "The organization's catalog (Master Client Permissions list)" })
  @ApiRead(CATALOG, { asOf: true, refusals: { 403: AS_OF_REFUSAL } })
  async permissions(
    @Param('orgId', OrgId) orgId: string,
    @Query('asOf') asOf: unknown,
    @Context() context: RequestContext,
  ) {
    const view = await this.access.view(context.actor, orgId, asOf, context.now);
    return withAsOf(view, { permissions: view.reader.organization.catalog });
  }

  @Get('roles')
  @ApiOperation({
    summary: 'Roles with the permissions they grant now, built-in ones included (R2)',
  })
  @ApiRead(ROLE, { asOf: true, page: 'RolePage', refusals: { 403: AS_OF_REFUSAL } })
  async roles(
    @Param('orgId', OrgId) orgId: string,
    @Query() query: Record<string, unknown>,
    @Context() context: RequestContext,
  ) {
    const view = await this.access.view(context.actor, orgId, query.asOf, context.now);
    const filter = { organizationId: orgId };
    return withAsOf(
      view,
      await findPage(view.store, Collections.roles, filter, pageRequest(query)),
    );
  }

  @Get('members')
  @ApiOperation({
    summary: 'Members with their role, status and groups; filter by status or roleId',
  })
  @ApiQueries([
    { name: 'status', schema: { type: 'string', enum: ['invited', 'active', 'deactivated'] } },
    { name: 'roleId', schema: { type: 'string', maxLength: 200 }, description: 'A role id' },
  ])
  @ApiRead(MEMBER, { asOf: true, page: 'MemberPage', refusals: { 403: AS_OF_REFUSAL } })
  async members(
    @Param('orgId', OrgId) orgId: string,
    @Query() query: Record<string, unknown>,
    @Context() context: RequestContext,
  ) {
    const view = await this.access.view(context.actor, orgId, query.asOf, context.now);
    const filter: Filter = { organizationId: orgId, ...stringFilters(query, ['status', 'roleId']) };
    return withAsOf(
      view,
      await findPage(view.store, Collections.members, filter, pageRequest(query)),
    );
  }

  @Get('members/:userId')
  @ApiOperation({ summary: 'One member' })
  @ApiRead(MEMBER, { asOf: true, refusals: { 403: AS_OF_REFUSAL } })
  async member(
    @Param('orgId', OrgId) orgId: string,
    @Param('userId', UserId) userId: string,
    @Query('asOf') asOf: unknown,
    @Context() context: RequestContext,
  ) {
    const view = await this.access.view(context.actor, orgId, asOf, context.now);
    // As of a point before they were invited, the member did not exist yet: 404 as for any.
    const member = await view.store.get(Collections.members, `${orgId}:${userId}`);
    if (!member) throw notFound('MEMBER_NOT_FOUND', 'member');
    return withAsOf(view, withoutId(member));
  }

  @Get('groups')
  @ApiOperation({ summary: 'Groups and their members; filter by kind (manual or directory)' })
  @ApiQueries([{ name: 'kind', schema: { type: 'string', enum: ['manual', 'directory'] } }])
  @ApiRead(GROUP, { asOf: true, page: 'GroupPage', refusals: { 403: AS_OF_REFUSAL } })
  async groups(
    @Param('orgId', OrgId) orgId: string,
    @Query() query: Record<string, unknown>,
    @Context() context: RequestContext,
  ) {
    const view = await this.access.view(context.actor, orgId, query.asOf, context.now);
    const filter: Filter = { organizationId: orgId, ...stringFilters(query, ['kind']) };
    return withAsOf(
      view,
      await findPage(view.store, Collections.groups, filter, pageRequest(query)),
    );
  }
}
