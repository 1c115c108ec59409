import {
  ORGANIZATION_FOLD_VERSION,
  organizationDecider,
  organizationStream,
  type OrganizationCommand,
  type OrganizationEvent,
  type OrganizationState,
} from '#libs/domain';
import type { AggregateType } from '../infrastructure/aggregate-store.js';

/**
 * The one aggregate: an organization's stream holds its whole access graph (members, groups,
 * workspaces, projects, dashboards), so cascades such as R11 and R19 are one atomic append.
 */
export const organizationAggregate: AggregateType<
  OrganizationCommand,
  OrganizationEvent,
  OrganizationState
> = {
  decider: organizationDecider,
  streamOf: organizationStream,
  foldVersion: `organization@${ORGANIZATION_FOLD_VERSION}`,
};
