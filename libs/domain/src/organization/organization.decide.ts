import { DomainError } from '../shared/domain-error.js';
import type { OrganizationCommand } from './organization.commands.js';
import type { OrganizationEvent } from './organization.events.js';
import type { OrganizationState } from './organization.state.js';

// Stub: being implemented.
export function decideOrganization(
  command: OrganizationCommand,
  _state: OrganizationState,
): OrganizationEvent[] {
  throw new DomainError('rule', 'NOT_IMPLEMENTED', `${command.type} is not implemented yet.`);
}
