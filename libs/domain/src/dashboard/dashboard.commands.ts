import type { Command } from '../shared/command.js';

/** Workspace role `user` or higher and access to every project it reads (R29). */
export type CreateDashboard = Command<
  'CreateDashboard',
  { dashboardId: string; workspaceId: string; name: string; projectIds: string[] }
>;
/** Its creator, workspace admins and org admins (R29). */
export type DeleteDashboard = Command<'DeleteDashboard', { dashboardId: string }>;

export type DashboardCommand = CreateDashboard | DeleteDashboard;
