import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { Context, OrgId, UserId, type RequestContext } from '#libs/http';
import { Collections, type Filter } from '#libs/read-models';
import { findPage, pageRequest, stringFilters, withoutId } from '../pagination.js';
import { AS_OF_QUERY, notFound, ReadAccess, withAsOf } from '../read-access.js';

const PAGE_QUERIES = [
  { name: 'limit', required: false, description: 'Page size, 1 to 500 (default 100)' },
  { name: 'cursor', required: false, description: 'nextCursor of the previous page' },
  {
    name: 'minPosition',
    required: false,
    description: 'Answer only once the read models reached this position (R35)',
  },
];

/** Catalog, roles, members and groups: what every active member of the organization may see. */
@ApiTags('reads: organization')
@ApiBearerAuth()
@Controller('v1/orgs/:orgId')
export class OrganizationReadsController {
  constructor(private readonly access: ReadAccess) {}

  @Get('permissions')
  @ApiOperation({ summary: "The organization's catalog (Master Client Permissions list)" })
  @ApiQuery(AS_OF_QUERY)
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
  @ApiQuery(PAGE_QUERIES[0])
  @ApiQuery(PAGE_QUERIES[1])
  @ApiQuery(AS_OF_QUERY)
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
  @ApiQuery({ name: 'status', required: false, enum: ['invited', 'active', 'deactivated'] })
  @ApiQuery({ name: 'roleId', required: false })
  @ApiQuery(PAGE_QUERIES[0])
  @ApiQuery(PAGE_QUERIES[1])
  @ApiQuery(AS_OF_QUERY)
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
  @ApiQuery(AS_OF_QUERY)
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
  @ApiQuery({ name: 'kind', required: false, enum: ['manual', 'directory'] })
  @ApiQuery(PAGE_QUERIES[0])
  @ApiQuery(PAGE_QUERIES[1])
  @ApiQuery(AS_OF_QUERY)
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
