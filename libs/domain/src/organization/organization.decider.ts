import type { Decider } from '../shared/decider.js';
import type { OrganizationCommand } from './organization.commands.js';
import { decideOrganization } from './organization.decide.js';
import type { OrganizationEvent } from './organization.events.js';
import {
  evolveOrganization,
  initialOrganizationState,
  type OrganizationState,
} from './organization.state.js';

/**
 * The version of the organization's fold: bump it in the same change as any change to what
 * `evolveOrganization` (or an evolve it calls) makes of an event, or to the shape of
 * OrganizationState. Snapshots carry the version that made them and are only read back by the
 * same one (ADR 19), so a changed evolve makes old snapshots unused, never wrong.
 */
export const ORGANIZATION_FOLD_VERSION = 1;

export const organizationDecider: Decider<
  OrganizationCommand,
  OrganizationEvent,
  OrganizationState
> = {
  decide: decideOrganization,
  evolve: evolveOrganization,
  initialState: initialOrganizationState,
};

export const organizationStream = (organizationId: string): string =>
  `organization-${organizationId}`;
