import {
  organizationDecider,
  organizationStream,
  workspaceDecider,
  workspaceStream,
  type OrganizationCommand,
  type OrganizationEvent,
  type OrganizationState,
  type WorkspaceCommand,
  type WorkspaceEvent,
  type WorkspaceState,
} from '#libs/domain';
import type { AggregateType } from '../infrastructure/aggregate-store.js';

export const organizationAggregate: AggregateType<
  OrganizationCommand,
  OrganizationEvent,
  OrganizationState
> = {
  decider: organizationDecider,
  streamOf: organizationStream,
};

export const workspaceAggregate: AggregateType<WorkspaceCommand, WorkspaceEvent, WorkspaceState> = {
  decider: workspaceDecider,
  streamOf: workspaceStream,
};
