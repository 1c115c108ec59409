import type { Decider } from '../shared/decider.js';
import { DomainError } from '../shared/domain-error.js';
import type { WorkspaceCommand } from './workspace.commands.js';
import type { WorkspaceEvent } from './workspace.events.js';
import { evolveWorkspace, initialWorkspaceState, type WorkspaceState } from './workspace.state.js';

// Stub: being implemented.
export function decideWorkspace(
  command: WorkspaceCommand,
  _state: WorkspaceState,
): WorkspaceEvent[] {
  throw new DomainError('rule', 'NOT_IMPLEMENTED', `${command.type} is not implemented yet.`);
}

export const workspaceDecider: Decider<WorkspaceCommand, WorkspaceEvent, WorkspaceState> = {
  decide: decideWorkspace,
  evolve: evolveWorkspace,
  initialState: initialWorkspaceState,
};

export const workspaceStream = (workspaceId: string): string => `workspace-${workspaceId}`;
