import type { Decider } from '../shared/decider.js';
import type { OrganizationCommand } from './organization.commands.js';
import { decideOrganization } from './organization.decide.js';
import type { OrganizationEvent } from './organization.events.js';
import {
  evolveOrganization,
  initialOrganizationState,
  type OrganizationState,
} from './organization.state.js';

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
