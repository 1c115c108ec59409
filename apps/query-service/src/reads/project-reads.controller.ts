import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiRead, Context, OrgId, ProjectId, type RequestContext } from '#libs/http';
import { Collections } from '#libs/read-models';
import { findPage, pageRequest, stringFilters } from '../pagination.js';
import { ApiQueries, forbiddenAsOf, KEYS_REFUSAL } from '../openapi-reads.js';
import { notFound, ReadAccess, readingMember, withAsOf } from '../read-access.js';
import { PROJECT_MEMBER } from './project-reads.schemas.js';
import { PROJECT_ROLES } from './workspace-reads.schemas.js';

@ApiTags('reads: projects')
@ApiBearerAuth()
@Controller('v1/orgs/:orgId/projects')
export class ProjectReadsController {
  constructor(private readonly access: ReadAccess) {}

  @Get(':projectId/members')
  @ApiOperation({
    summary:
      'R28: everyone with access to the project, with their effective role and how they hold it',
  })
  @ApiQueries([{ name: 'role', schema: { type: 'string', enum: PROJECT_ROLES } }])
  @ApiRead(PROJECT_MEMBER, {
    asOf: true,
    page: 'ProjectMemberPage',
    refusals: {
      403: forbiddenAsOf(KEYS_REFUSAL),
      404: 'Unknown organization, or a project the reader has no access to (R28, S1)',
    },
  })
  async members(
    @Param('orgId', OrgId) orgId: string,
    @Param('projectId', ProjectId) projectId: string,
    @Query() query: Record<string, unknown>,
    @Context() context: RequestContext,
  ) {
    const view = await this.access.view(context.actor, orgId, query.asOf, context.now);
    const { reader, store } = view;
    readingMember(reader); // API keys hold no project roles.
    // Only those with access to a project see who else has it; to others it does not exist.
    if (!this.access.may(reader, { kind: 'project', projectId, action: 'view' })) {
      throw notFound('PROJECT_NOT_FOUND', 'project');
    }
    const filter = { organizationId: orgId, projectId, ...stringFilters(query, ['role']) };
    const page = await findPage(store, Collections.projectAccess, filter, pageRequest(query));
    // For a member the engine's answer proved the project is live; for support and auditors
    // a live project has rows (R28), though a role filter may match none of them.
    if (reader.kind === 'operator' && page.items.length === 0 && !query.cursor) {
      const [any] = await store.find(
        Collections.projectAccess,
        { organizationId: orgId, projectId },
        { limit: 1 },
      );
      if (!any) throw notFound('PROJECT_NOT_FOUND', 'project');
    }
    return withAsOf(view, page);
  }
}
