import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { DomainError } from '#libs/domain';
import { ApiRead, Context, OrgId, WorkspaceId, type RequestContext } from '#libs/http';
import {
  Collections,
  type DashboardDocument,
  type ProjectAccessDocument,
  type ProjectDocument,
  type WorkspaceDocument,
  type WorkspaceMemberDocument,
} from '#libs/read-models';
import { findPage, pageRequest, withoutId, stringFilters } from '../pagination.js';
import { ApiQueries, AS_OF_REFUSAL, forbiddenAsOf, KEYS_REFUSAL } from '../openapi-reads.js';
import { notFound, ReadAccess, readingMember, withAsOf, type ReadView } from '../read-access.js';
import {
  DASHBOARDS,
  WORKSPACE,
  WORKSPACE_MEMBER,
  WORKSPACE_PROJECT,
  WORKSPACE_ROLES,
  WORKSPACE_USAGE,
} from './workspace-reads.schemas.js';

const HIDDEN = {
  404: 'Unknown organization, or a workspace the reader holds no role in, directly or through a group, nor a project of (R20, S1)',
};
const BY_ROLES = { 403: forbiddenAsOf(KEYS_REFUSAL) };

/** Workspaces, their members, usage, projects and dashboards, as each reader may see them. */
@ApiTags('reads: workspaces')
@ApiBearerAuth()
@Controller('v1/orgs/:orgId/workspaces')
export class WorkspaceReadsController {
  constructor(private readonly access: ReadAccess) {}

  @Get()
  @ApiOperation({
    summary: 'R20: org admins see every workspace; others those where they hold a role',
  })
  @ApiRead(WORKSPACE, { asOf: true, page: 'WorkspacePage', refusals: BY_ROLES })
  async list(
    @Param('orgId', OrgId) orgId: string,
    @Query() query: Record<string, unknown>,
    @Context() context: RequestContext,
  ) {
    const view = await this.access.view(context.actor, orgId, query.asOf, context.now);
    const { reader, store } = view;
    const page = pageRequest(query);
    if (this.access.seesEverything(reader)) {
      const all = await findPage(
        store,
        Collections.workspaces,
        { organizationId: orgId },
        page,
        (d) => {
          const { workspaceId, name } = d as WorkspaceDocument;
          return { workspaceId, name, role: null };
        },
      );
      return withAsOf(view, all);
    }
    const member = readingMember(reader)!;
    const roles = await findPage(
      store,
      Collections.workspaceMembers,
      { organizationId: orgId, userId: member.userId },
      page,
    );
    const items = await Promise.all(
      (roles.items as Omit<WorkspaceMemberDocument, '_id'>[]).map(async ({ workspaceId, role }) => {
        const workspace = (await store.get(Collections.workspaces, `${orgId}:${workspaceId}`)) as
          WorkspaceDocument | undefined;
        return { workspaceId, name: workspace?.name ?? null, role };
      }),
    );
    return withAsOf(view, { items, nextCursor: roles.nextCursor });
  }

  @Get(':workspaceId/members')
  @ApiOperation({
    summary: 'R21: members of the workspace, direct and through groups, with their highest role',
  })
  @ApiQueries([{ name: 'role', schema: { type: 'string', enum: WORKSPACE_ROLES } }])
  @ApiRead(WORKSPACE_MEMBER, {
    asOf: true,
    page: 'WorkspaceMemberPage',
    refusals: { ...HIDDEN, 403: AS_OF_REFUSAL },
  })
  async members(
    @Param('orgId', OrgId) orgId: string,
    @Param('workspaceId', WorkspaceId) workspaceId: string,
    @Query() query: Record<string, unknown>,
    @Context() context: RequestContext,
  ) {
    const view = await this.access.view(context.actor, orgId, query.asOf, context.now);
    await this.visibleWorkspace(view, orgId, workspaceId);
    const filter = { organizationId: orgId, workspaceId, ...stringFilters(query, ['role']) };
    const page = await findPage(
      view.store,
      Collections.workspaceMembers,
      filter,
      pageRequest(query),
    );
    return withAsOf(view, page);
  }

  @Get(':workspaceId/usage')
  @ApiOperation({
    summary: 'R23: projects, dashboards, groups and users with access; workspace and org admins',
  })
  @ApiRead(WORKSPACE_USAGE, {
    asOf: true,
    refusals: {
      ...HIDDEN,
      403: forbiddenAsOf(
        '`NOT_ALLOWED`: the reader is neither an admin of this workspace nor an org admin (R23); a workspace or org admin can make them workspace admin.',
      ),
    },
  })
  async usage(
    @Param('orgId', OrgId) orgId: string,
    @Param('workspaceId', WorkspaceId) workspaceId: string,
    @Query('asOf') asOf: unknown,
    @Context() context: RequestContext,
  ) {
    const view = await this.access.view(context.actor, orgId, asOf, context.now);
    const workspace = await this.visibleWorkspace(view, orgId, workspaceId);
    if (!this.access.may(view.reader, { kind: 'workspace', workspaceId, action: 'view_usage' })) {
      throw new DomainError(
        'forbidden',
        'NOT_ALLOWED',
        'Only admins of this workspace and org admins see its usage.',
      );
    }
    return withAsOf(view, { workspaceId, name: workspace.name, ...workspace.usage });
  }

  @Get(':workspaceId/projects')
  @ApiOperation({
    summary: 'R22: editors and admins see every project; others those they have a role on',
  })
  @ApiRead(WORKSPACE_PROJECT, {
    asOf: true,
    page: 'WorkspaceProjectPage',
    refusals: { ...HIDDEN, ...BY_ROLES },
  })
  async projects(
    @Param('orgId', OrgId) orgId: string,
    @Param('workspaceId', WorkspaceId) workspaceId: string,
    @Query() query: Record<string, unknown>,
    @Context() context: RequestContext,
  ) {
    const view = await this.access.view(context.actor, orgId, query.asOf, context.now);
    const { reader, store } = view;
    if (!(await store.get(Collections.workspaces, `${orgId}:${workspaceId}`))) {
      throw notFound('WORKSPACE_NOT_FOUND', 'workspace');
    }
    const member = readingMember(reader);
    if (!member) {
      // Operators (and history readers, R33) see every live project of the workspace.
      const all = await findPage(
        store,
        Collections.projects,
        { organizationId: orgId, workspaceId },
        pageRequest(query),
        (d) => {
          const project = d as ProjectDocument;
          return { projectId: project.projectId, name: project.name, role: null };
        },
      );
      return withAsOf(view, all);
    }
    // A member's own project_access rows are exactly the projects they may see (R28 gives
    // editors, admins and org admins a viewer row on every project of the workspace, which
    // the view's store implies from the engine, ADR 22).
    const page = await findPage(
      store,
      Collections.projectAccess,
      { organizationId: orgId, workspaceId, userId: member.userId },
      pageRequest(query),
      (d) => {
        const row = d as ProjectAccessDocument;
        return { projectId: row.projectId, name: row.projectName, role: row.role };
      },
    );
    // A project member outside the workspace still lists their projects (R22); to a reader
    // with neither a workspace role nor a project there, the workspace does not exist (R20).
    const sees = () => this.access.may(reader, { kind: 'workspace', workspaceId, action: 'view' });
    if (page.items.length === 0 && !sees()) {
      throw notFound('WORKSPACE_NOT_FOUND', 'workspace');
    }
    return withAsOf(view, page);
  }

  @Get(':workspaceId/dashboards')
  @ApiOperation({
    summary: 'R29: every workspace member sees its dashboards, with the projects they can read',
  })
  @ApiRead(DASHBOARDS, { asOf: true, refusals: { ...HIDDEN, ...BY_ROLES } })
  async dashboards(
    @Param('orgId', OrgId) orgId: string,
    @Param('workspaceId', WorkspaceId) workspaceId: string,
    @Query('asOf') asOf: unknown,
    @Context() context: RequestContext,
  ) {
    const view = await this.access.view(context.actor, orgId, asOf, context.now);
    const { reader, store } = view;
    await this.visibleWorkspace(view, orgId, workspaceId);
    readingMember(reader); // API keys hold no workspace roles.
    const dashboards: DashboardDocument[] = [];
    for await (const d of store.scan(Collections.dashboards, {
      organizationId: orgId,
      workspaceId,
    })) {
      dashboards.push(d as DashboardDocument);
    }
    const items = dashboards.map((dashboard) => ({
      ...withoutId(dashboard),
      // Its data is served only for the projects the reader can access (R29).
      accessibleProjectIds: dashboard.projectIds.filter((projectId) =>
        this.access.may(reader, {
          kind: 'dashboard',
          dashboardId: dashboard.dashboardId,
          action: 'view_data',
          projectId,
        }),
      ),
    }));
    return withAsOf(view, { items });
  }

  /** The workspace, if the reader may see it (R20); a hidden one does not exist for them. */
  private async visibleWorkspace(
    { reader, store }: ReadView,
    orgId: string,
    workspaceId: string,
  ): Promise<WorkspaceDocument> {
    const workspace = (await store.get(Collections.workspaces, `${orgId}:${workspaceId}`)) as
      WorkspaceDocument | undefined;
    if (
      !workspace ||
      !this.access.may(reader, { kind: 'workspace', workspaceId, action: 'view' })
    ) {
      throw notFound('WORKSPACE_NOT_FOUND', 'workspace');
    }
    return workspace;
  }
}
