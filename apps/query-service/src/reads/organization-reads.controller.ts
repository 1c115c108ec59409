import { Controller, Get, Inject, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { Context, OrgId, UserId, type RequestContext } from '#libs/http';
import { Collections, type DocumentStore, type Filter } from '#libs/read-models';
import { findPage, pageRequest, stringFilters, withoutId } from '../pagination.js';
import { notFound, ReadAccess } from '../read-access.js';
import { DOCUMENT_STORE } from '../tokens.js';

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
  constructor(
    @Inject(DOCUMENT_STORE) private readonly store: DocumentStore,
    private readonly access: ReadAccess,
  ) {}

  @Get('permissions')
  @ApiOperation({ summary: "The organization's catalog (Master Client Permissions list)" })
  async permissions(@Param('orgId', OrgId) orgId: string, @Context() context: RequestContext) {
    const { organization } = await this.access.resolve(context.actor, orgId);
    return { permissions: organization.catalog };
  }

  @Get('roles')
  @ApiOperation({
    summary: 'Roles with the permissions they grant now, built-in ones included (R2)',
  })
  @ApiQuery(PAGE_QUERIES[0])
  @ApiQuery(PAGE_QUERIES[1])
  async roles(
    @Param('orgId', OrgId) orgId: string,
    @Query() query: Record<string, unknown>,
    @Context() context: RequestContext,
  ) {
    await this.access.resolve(context.actor, orgId);
    return findPage(this.store, Collections.roles, { organizationId: orgId }, pageRequest(query));
  }

  @Get('members')
  @ApiOperation({
    summary: 'Members with their role, status and groups; filter by status or roleId',
  })
  @ApiQuery({ name: 'status', required: false, enum: ['invited', 'active', 'deactivated'] })
  @ApiQuery({ name: 'roleId', required: false })
  @ApiQuery(PAGE_QUERIES[0])
  @ApiQuery(PAGE_QUERIES[1])
  async members(
    @Param('orgId', OrgId) orgId: string,
    @Query() query: Record<string, unknown>,
    @Context() context: RequestContext,
  ) {
    await this.access.resolve(context.actor, orgId);
    const filter: Filter = { organizationId: orgId, ...stringFilters(query, ['status', 'roleId']) };
    return findPage(this.store, Collections.members, filter, pageRequest(query));
  }

  @Get('members/:userId')
  @ApiOperation({ summary: 'One member' })
  async member(
    @Param('orgId', OrgId) orgId: string,
    @Param('userId', UserId) userId: string,
    @Context() context: RequestContext,
  ) {
    await this.access.resolve(context.actor, orgId);
    const member = await this.store.get(Collections.members, `${orgId}:${userId}`);
    if (!member) throw notFound('MEMBER_NOT_FOUND', 'member');
    return withoutId(member);
  }

  @Get('groups')
  @ApiOperation({ summary: 'Groups and their members; filter by kind (manual or directory)' })
  @ApiQuery({ name: 'kind', required: false, enum: ['manual', 'directory'] })
  @ApiQuery(PAGE_QUERIES[0])
  @ApiQuery(PAGE_QUERIES[1])
  async groups(
    @Param('orgId', OrgId) orgId: string,
    @Query() query: Record<string, unknown>,
    @Context() context: RequestContext,
  ) {
    await this.access.resolve(context.actor, orgId);
    const filter: Filter = { organizationId: orgId, ...stringFilters(query, ['kind']) };
    return findPage(this.store, Collections.groups, filter, pageRequest(query));
  }
}
