export * from './shared/actor.js';
export * from './shared/decider.js';
export * from './shared/domain-error.js';

export * from './organization/organization.commands.js';
export * from './organization/organization.events.js';
export * from './organization/organization.state.js';
export * from './organization/organization.permissions.js';
export * from './organization/organization.errors.js';
export * from './organization/organization.entitlements.js';
export * from './organization/organization.decider.js';
export * from './organization/access.js';
export * from './organization/roles-order.js';
export * from './organization/errors/access.errors.js';
export * from './organization/errors/groups.errors.js';
export * from './organization/errors/workspaces.errors.js';
export * from './organization/errors/projects.errors.js';
export * from './organization/errors/dashboards.errors.js';
export { DEFAULT_WORKSPACE_NAME } from './organization/decide/create-organization.decide.js';

export * from './shared/principal.js';
export * from './group/group.commands.js';
export * from './group/group.events.js';
export * from './workspace/workspace.commands.js';
export * from './workspace/workspace.events.js';
export * from './project/project.commands.js';
export * from './project/project.events.js';
export * from './dashboard/dashboard.commands.js';
export * from './dashboard/dashboard.events.js';
