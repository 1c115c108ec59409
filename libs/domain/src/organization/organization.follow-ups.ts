import type { CommandMetadata } from '../shared/actor.js';
import type { WorkspaceCommand } from '../workspace/workspace.commands.js';
import type { OrganizationEvent } from './organization.events.js';
import type { OrganizationState } from './organization.state.js';

// Stub: being implemented.
export function followUpsOf(
  _event: OrganizationEvent,
  _state: OrganizationState,
  _metadata: CommandMetadata,
): WorkspaceCommand[] {
  return [];
}
