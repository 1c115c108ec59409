import type { Decider } from '../shared/decider.js';
import { unknownCommand } from '../shared/domain-error.js';
import { requireId, requireName } from '../shared/validation.js';
import type {
  AddWorkspacePrincipal,
  CreateWorkspace,
  WorkspaceCommand,
} from './workspace.commands.js';
import { WorkspaceErrors } from './workspace.errors.js';
import type {
  Principal,
  WorkspaceCreated,
  WorkspaceEvent,
  WorkspacePrincipalAdded,
  WorkspaceRole,
} from './workspace.events.js';
import {
  evolveWorkspace,
  initialWorkspaceState,
  principalKey,
  type WorkspaceState,
} from './workspace.state.js';

export const WORKSPACE_ROLES: readonly WorkspaceRole[] = ['member', 'user', 'editor', 'admin'];

/**
 * Minimal for now: workspaces are made and filled only by the organization's follow-ups
 * (R1, R9) and by support. Member-facing management (R20, R21) comes with the workspace issue.
 */
export function decideWorkspace(
  command: WorkspaceCommand,
  state: WorkspaceState,
): WorkspaceEvent[] {
  const { actor } = command.metadata;
  if (actor.type === 'auditor') throw WorkspaceErrors.readOnlyActor();
  if (actor.type !== 'system' && actor.type !== 'support') {
    throw WorkspaceErrors.notYetAvailable(command.type);
  }
  switch (command.type) {
    case 'CreateWorkspace':
      return decideCreateWorkspace(command, state);
    case 'AddWorkspacePrincipal':
      return decideAddWorkspacePrincipal(command, state);
    default:
      throw unknownCommand(command);
  }
}

function decideCreateWorkspace(
  command: CreateWorkspace,
  state: WorkspaceState,
): (WorkspaceCreated | WorkspacePrincipalAdded)[] {
  const { data } = command;
  if (state.exists) throw WorkspaceErrors.alreadyExists(state.workspaceId);
  const workspaceId = requireId(data.workspaceId, 'workspaceId');
  const organizationId = requireId(data.organizationId, 'organizationId');
  const name = requireName(data.name, 'name', 'INVALID_WORKSPACE_NAME');
  const seen = new Set<string>();
  const added: WorkspacePrincipalAdded[] = [];
  for (const { principal, role } of data.principals ?? []) {
    const checked = checkPrincipal(principal);
    const key = principalKey(checked);
    if (seen.has(key)) throw WorkspaceErrors.duplicatePrincipal(key);
    seen.add(key);
    added.push({
      type: 'WorkspacePrincipalAdded',
      data: { workspaceId, principal: checked, role: checkRole(role) },
    });
  }
  return [{ type: 'WorkspaceCreated', data: { workspaceId, organizationId, name } }, ...added];
}

/** A principal already present appends nothing, whatever its role: follow-ups may run twice. */
function decideAddWorkspacePrincipal(
  command: AddWorkspacePrincipal,
  state: WorkspaceState,
): WorkspacePrincipalAdded[] {
  const { workspaceId } = command.data;
  if (!state.exists || state.workspaceId !== workspaceId) {
    throw WorkspaceErrors.notFound(workspaceId);
  }
  const principal = checkPrincipal(command.data.principal);
  const role = checkRole(command.data.role);
  if (state.principals.has(principalKey(principal))) return [];
  return [{ type: 'WorkspacePrincipalAdded', data: { workspaceId, principal, role } }];
}

function checkPrincipal(principal: Principal | undefined): Principal {
  if (
    !principal ||
    (principal.type !== 'user' && principal.type !== 'group') ||
    typeof principal.id !== 'string' ||
    principal.id.length === 0 ||
    principal.id.length > 128
  ) {
    throw WorkspaceErrors.invalidPrincipal();
  }
  return { type: principal.type, id: principal.id };
}

function checkRole(role: WorkspaceRole): WorkspaceRole {
  if (!WORKSPACE_ROLES.includes(role)) throw WorkspaceErrors.invalidRole(role);
  return role;
}

export const workspaceDecider: Decider<WorkspaceCommand, WorkspaceEvent, WorkspaceState> = {
  decide: decideWorkspace,
  evolve: evolveWorkspace,
  initialState: initialWorkspaceState,
};

export const workspaceStream = (workspaceId: string): string => `workspace-${workspaceId}`;
