import { Body, Controller, Delete, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiCommand, Context, type RequestContext } from '#libs/http';
import { DashboardId, OrgId } from '#libs/http';
import { OrganizationCommands } from '../organizations/organization-commands.service.js';
import { CreateDashboardDto } from './dashboards.dtos.js';
import { CREATED_DASHBOARD } from '../command-answers.js';

@ApiTags('dashboards')
@ApiBearerAuth()
@Controller('v1/orgs/:orgId')
export class DashboardsController {
  constructor(private readonly commands: OrganizationCommands) {}

  @Post('dashboards')
  @ApiOperation({
    summary:
      'Create a dashboard over projects of one workspace; takes workspace role user and access to each project (R29)',
  })
  @ApiCommand({
    status: 201,
    answer: CREATED_DASHBOARD,
    refusals: {
      403: 'Workspace role `user` or higher, and access to every project it reads (`PROJECT_ACCESS_REQUIRED`, R29)',
      409: false,
      422: 'A project of another workspace (`PROJECT_NOT_IN_WORKSPACE`), or an Idempotency-Key reused',
    },
  })
  async create(
    @Param('orgId', OrgId) orgId: string,
    @Body() body: CreateDashboardDto,
    @Context() context: RequestContext,
  ) {
    const dashboardId = context.newId();
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
  @ApiCommand({
    refusals: { 403: 'Its creator, workspace admins and org admins (R29)', 409: false, 422: false },
  })
  delete(
    @Param('orgId', OrgId) orgId: string,
    @Param('dashboardId', DashboardId) dashboardId: string,
    @Context() context: RequestContext,
  ) {
    return this.commands.run(orgId, 'DeleteDashboard', { dashboardId }, context);
  }
}
