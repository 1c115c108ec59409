import type { ProjectRole, WorkspaceRole } from './roles.js';

/*
 * What may be asked of the engine (R31), and the rule each answer comes from; the table in
 * docs/authorization.md says where each action comes from in the seeds.
 */

export const WORKSPACE_ACTIONS = [
  'view',
  'create_project',
  'view_all_projects',
  'manage',
  'view_usage',
] as const;
export type WorkspaceAction = (typeof WORKSPACE_ACTIONS)[number];

/** R22, R24: the least workspace role each action takes; org admins take every one (R20). */
export const WORKSPACE_ACTION_ROLE: { readonly [A in WorkspaceAction]: WorkspaceRole } = {
  view: 'member',
  create_project: 'user',
  view_all_projects: 'editor',
  manage: 'admin',
  view_usage: 'admin',
};

export const PROJECT_ACTIONS = [
  'view',
  'edit',
  'manage_members',
  'transfer_ownership',
  'delete',
] as const;
export type ProjectAction = (typeof PROJECT_ACTIONS)[number];

/**
 * R25-R28: `view` and `edit` take an effective project role; the others are a manager's (the
 * owner, a workspace admin, an org admin), whatever their project role.
 */
export const PROJECT_ACTION_ROLE: { readonly [A in ProjectAction]: ProjectRole | 'manager' } = {
  view: 'viewer',
  edit: 'user',
  manage_members: 'manager',
  transfer_ownership: 'manager',
  delete: 'manager',
};

/** R29: `view_data` asks whether the reader sees a dashboard's data for one of its projects. */
export const DASHBOARD_ACTIONS = ['view', 'delete', 'view_data'] as const;
export type DashboardAction = (typeof DASHBOARD_ACTIONS)[number];

export const isWorkspaceAction = (action: string): action is WorkspaceAction =>
  (WORKSPACE_ACTIONS as readonly string[]).includes(action);
export const isProjectAction = (action: string): action is ProjectAction =>
  (PROJECT_ACTIONS as readonly string[]).includes(action);
export const isDashboardAction = (action: string): action is DashboardAction =>
  (DASHBOARD_ACTIONS as readonly string[]).includes(action);

/** Who is asked about: a member (by user id) or an API key. */
export interface Subject {
  type: 'user' | 'api_key';
  id: string;
}

export type AccessQuery =
  | { kind: 'permission'; permission: string }
  | { kind: 'workspace'; workspaceId: string; action: WorkspaceAction }
  | { kind: 'project'; projectId: string; action: ProjectAction }
  | { kind: 'dashboard'; dashboardId: string; action: DashboardAction; projectId?: string };
