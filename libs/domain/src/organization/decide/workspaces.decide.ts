import { principalKey, type Principal } from '../../shared/principal.js';
import { requireId, requireName } from '../../shared/validation.js';
import type {
  AddWorkspacePrincipal,
  ChangeWorkspacePrincipalRole,
  CreateWorkspace,
  RemoveWorkspacePrincipal,
  RenameWorkspace,
} from '../../workspace/workspace.commands.js';
import type {
  WorkspaceCreated,
  WorkspacePrincipalAdded,
  WorkspacePrincipalRemoved,
  WorkspacePrincipalRoleChanged,
  WorkspaceRenamed,
  WorkspaceRole,
} from '../../workspace/workspace.events.js';
import { requireOrgAdmin, requireWorkspaceAdmin } from '../access-graph.authorize.js';
import { AccessErrors } from '../errors/access.errors.js';
import { WorkspaceErrors } from '../errors/workspaces.errors.js';
import {
  normalizeName,
  type MemberState,
  type OrganizationState,
  type WorkspaceState,
} from '../organization.state.js';
import { isWorkspaceRole } from '../roles-order.js';
import { requireExistingPrincipal, requirePrincipal } from './principals.js';

const WORKSPACE_ADMINS = 'Only org admins and admins of this workspace manage its members.';

/**
 * R20: org admins create workspaces, names unique, with their initial principals and roles.
 * R42: authorize() has already required truora.workspaces; the Default workspace of R1 comes
 * with the organization's creation and is never gated.
 */
export function decideCreateWorkspace(
  command: CreateWorkspace,
  state: OrganizationState,
  actor: MemberState,
): (WorkspaceCreated | WorkspacePrincipalAdded)[] {
  const workspaceId = requireId(command.data.workspaceId, 'workspaceId');
  const name = requireName(command.data.name, 'name', 'INVALID_WORKSPACE_NAME');
  const initial = command.data.principals ?? [];
  if (!Array.isArray(initial)) throw AccessErrors.invalidPrincipal('principals');
  requireOrgAdmin(state, actor.userId, 'Only org admins create workspaces.');
  if (state.workspaces.has(workspaceId)) throw WorkspaceErrors.workspaceAlreadyExists(workspaceId);
  if (state.workspaceIdByName.has(normalizeName(name))) {
    throw WorkspaceErrors.workspaceNameTaken(name);
  }
  const seen = new Set<string>();
  const added: WorkspacePrincipalAdded[] = [];
  for (const entry of initial) {
    const principal = requirePrincipal(entry?.principal);
    const role = requireWorkspaceRole(entry?.role);
    const key = principalKey(principal);
    if (seen.has(key)) throw AccessErrors.duplicatePrincipal(principal);
    seen.add(key);
    requireExistingPrincipal(state, principal);
    added.push({ type: 'WorkspacePrincipalAdded', data: { workspaceId, principal, role } });
  }
  return [{ type: 'WorkspaceCreated', data: { workspaceId, name } }, ...added];
}

/** R20, R22: org admins and the workspace's admins rename it; names stay unique. */
export function decideRenameWorkspace(
  command: RenameWorkspace,
  state: OrganizationState,
  actor: MemberState,
): WorkspaceRenamed[] {
  const workspace = requireWorkspace(state, command.data.workspaceId);
  const name = requireName(command.data.name, 'name', 'INVALID_WORKSPACE_NAME');
  requireWorkspaceAdmin(
    state,
    actor.userId,
    workspace.workspaceId,
    'Only org admins and admins of this workspace rename it.',
  );
  if (name === workspace.name) return [];
  const holder = state.workspaceIdByName.get(normalizeName(name));
  if (holder !== undefined && holder !== workspace.workspaceId) {
    throw WorkspaceErrors.workspaceNameTaken(name);
  }
  return [{ type: 'WorkspaceRenamed', data: { workspaceId: workspace.workspaceId, name } }];
}

/** R21. */
export function decideAddWorkspacePrincipal(
  command: AddWorkspacePrincipal,
  state: OrganizationState,
  actor: MemberState,
): WorkspacePrincipalAdded[] {
  const workspace = requireWorkspace(state, command.data.workspaceId);
  const principal = requirePrincipal(command.data.principal);
  const role = requireWorkspaceRole(command.data.role);
  requireWorkspaceAdmin(state, actor.userId, workspace.workspaceId, WORKSPACE_ADMINS);
  requireExistingPrincipal(state, principal);
  if (workspace.principals.has(principalKey(principal))) {
    throw WorkspaceErrors.principalAlreadyInWorkspace(workspace.workspaceId, principal);
  }
  return [
    {
      type: 'WorkspacePrincipalAdded',
      data: { workspaceId: workspace.workspaceId, principal, role },
    },
  ];
}

/** R21. The same role again appends nothing. */
export function decideChangeWorkspacePrincipalRole(
  command: ChangeWorkspacePrincipalRole,
  state: OrganizationState,
  actor: MemberState,
): WorkspacePrincipalRoleChanged[] {
  const workspace = requireWorkspace(state, command.data.workspaceId);
  const principal = requirePrincipal(command.data.principal);
  const role = requireWorkspaceRole(command.data.role);
  requireWorkspaceAdmin(state, actor.userId, workspace.workspaceId, WORKSPACE_ADMINS);
  const previousRole = requireHeldRole(workspace, principal);
  if (previousRole === role) return [];
  return [
    {
      type: 'WorkspacePrincipalRoleChanged',
      data: { workspaceId: workspace.workspaceId, principal, role, previousRole },
    },
  ];
}

/** R21. */
export function decideRemoveWorkspacePrincipal(
  command: RemoveWorkspacePrincipal,
  state: OrganizationState,
  actor: MemberState,
): WorkspacePrincipalRemoved[] {
  const workspace = requireWorkspace(state, command.data.workspaceId);
  const principal = requirePrincipal(command.data.principal);
  requireWorkspaceAdmin(state, actor.userId, workspace.workspaceId, WORKSPACE_ADMINS);
  requireHeldRole(workspace, principal);
  return [
    { type: 'WorkspacePrincipalRemoved', data: { workspaceId: workspace.workspaceId, principal } },
  ];
}

export function requireWorkspace(state: OrganizationState, workspaceId: string): WorkspaceState {
  const workspace = state.workspaces.get(requireId(workspaceId, 'workspaceId'));
  if (!workspace) throw WorkspaceErrors.workspaceNotFound(workspaceId);
  return workspace;
}

function requireWorkspaceRole(role: unknown): WorkspaceRole {
  if (!isWorkspaceRole(role)) throw WorkspaceErrors.invalidWorkspaceRole(role);
  return role;
}

function requireHeldRole(workspace: WorkspaceState, principal: Principal): WorkspaceRole {
  const held = workspace.principals.get(principalKey(principal));
  if (!held) throw WorkspaceErrors.principalNotInWorkspace(workspace.workspaceId, principal);
  return held.role;
}
