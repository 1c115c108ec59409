export * from './shared/actor.js';
export * from './shared/decider.js';
export * from './shared/domain-error.js';

export * from './organization/organization.commands.js';
export * from './organization/organization.events.js';
export * from './organization/organization.state.js';
export * from './organization/organization.permissions.js';
export * from './organization/organization.errors.js';
export * from './organization/organization.decider.js';
export * from './organization/organization.follow-ups.js';

export * from './workspace/workspace.commands.js';
export * from './workspace/workspace.events.js';
export * from './workspace/workspace.state.js';
export * from './workspace/workspace.errors.js';
export * from './workspace/workspace.decider.js';
