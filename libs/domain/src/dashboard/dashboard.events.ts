import type { DomainEvent } from '../shared/decider.js';

/** Reads from one or more projects of its workspace (R29). */
export type DashboardCreated = DomainEvent<
  'DashboardCreated',
  {
    dashboardId: string;
    workspaceId: string;
    name: string;
    projectIds: string[];
    createdBy: string;
  }
>;
export type DashboardDeleted = DomainEvent<'DashboardDeleted', { dashboardId: string }>;

export type DashboardEvent = DashboardCreated | DashboardDeleted;
