import { randomUUID } from 'node:crypto';
import { Body, Controller, Delete, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Context, type RequestContext } from '#libs/http';
import { DashboardId, OrgId, WorkspaceId } from '#libs/http';
import { OrganizationCommands } from '../organizations/organization-commands.service.js';
import { OrganizationReader } from '../organizations/organization-reader.service.js';
import { CreateDashboardDto } from './dashboards.dtos.js';
import { listDashboards } from './views.js';

@ApiTags('dashboards')
@ApiBearerAuth()
@Controller('v1/orgs/:orgId')
export class DashboardsController {
  constructor(
    private readonly commands: OrganizationCommands,
    private readonly reader: OrganizationReader,
  ) {}

  @Get('workspaces/:workspaceId/dashboards')
  @ApiOperation({
    summary:
      "A workspace's dashboards, seen by every workspace member; data only from the projects the reader accesses (R29)",
  })
  async list(
    @Param('orgId', OrgId) orgId: string,
    @Param('workspaceId', WorkspaceId) workspaceId: string,
    @Context() context: RequestContext,
  ) {
    const { state, userId } = await this.reader.readingAs(context.actor, orgId);
    return { dashboards: listDashboards(state, userId, workspaceId) };
  }

  @Post('dashboards')
  @ApiOperation({
    summary:
      'Create a dashboard over projects of one workspace; takes workspace role user and access to each project (R29)',
  })
  async create(
    @Param('orgId', OrgId) orgId: string,
    @Body() body: CreateDashboardDto,
    @Context() context: RequestContext,
  ) {
    const dashboardId = randomUUID();
    const result = await this.commands.run(
      orgId,
      'CreateDashboard',
      {
        dashboardId,
        workspaceId: body.workspaceId,
        name: body.name,
        projectIds: [...body.projectIds],
      },
      context,
    );
    return { dashboardId, ...result };
  }

  @Delete('dashboards/:dashboardId')
  @HttpCode(200)
  @ApiOperation({ summary: 'Delete a dashboard; its creator, workspace and org admins (R29)' })
  delete(
    @Param('orgId', OrgId) orgId: string,
    @Param('dashboardId', DashboardId) dashboardId: string,
    @Context() context: RequestContext,
  ) {
    return this.commands.run(orgId, 'DeleteDashboard', { dashboardId }, context);
  }
}
