import { Controller, Get, Inject, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import { Context, OrgId, ProjectId, type RequestContext } from '#libs/http';
import { Collections, type DocumentStore } from '#libs/read-models';
import { findPage, pageRequest, stringFilters } from '../pagination.js';
import { notFound, ReadAccess, readingMember } from '../read-access.js';
import { DOCUMENT_STORE } from '../tokens.js';

@ApiTags('reads: projects')
@ApiBearerAuth()
@Controller('v1/orgs/:orgId/projects')
export class ProjectReadsController {
  constructor(
    @Inject(DOCUMENT_STORE) private readonly store: DocumentStore,
    private readonly access: ReadAccess,
  ) {}

  @Get(':projectId/members')
  @ApiOperation({
    summary:
      'R28: everyone with access to the project, with their effective role and how they hold it',
  })
  @ApiQuery({ name: 'role', required: false, enum: ['viewer', 'user', 'owner'] })
  @ApiQuery({ name: 'limit', required: false })
  @ApiQuery({ name: 'cursor', required: false })
  async members(
    @Param('orgId', OrgId) orgId: string,
    @Param('projectId', ProjectId) projectId: string,
    @Query() query: Record<string, unknown>,
    @Context() context: RequestContext,
  ) {
    const reader = await this.access.resolve(context.actor, orgId);
    readingMember(reader); // API keys hold no project roles.
    // Only those with access to a project see who else has it; to others it does not exist.
    if (!this.access.may(reader, { kind: 'project', projectId, action: 'view' })) {
      throw notFound('PROJECT_NOT_FOUND', 'project');
    }
    const filter = { organizationId: orgId, projectId, ...stringFilters(query, ['role']) };
    const page = await findPage(this.store, Collections.projectAccess, filter, pageRequest(query));
    // For a member the engine's answer proved the project is live; for support and auditors
    // a live project has rows (R28), though a role filter may match none of them.
    if (reader.kind === 'operator' && page.items.length === 0 && !query.cursor) {
      const [any] = await this.store.find(
        Collections.projectAccess,
        { organizationId: orgId, projectId },
        { limit: 1 },
      );
      if (!any) throw notFound('PROJECT_NOT_FOUND', 'project');
    }
    return page;
  }
}
