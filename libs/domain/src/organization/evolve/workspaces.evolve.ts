import { principalKey } from '../../shared/principal.js';
import type { WorkspaceEvent } from '../../workspace/workspace.events.js';
import { addToIndex, removeFromIndex } from '../indexes.js';
import { normalizeName, type OrganizationState } from '../organization.state.js';

/** Folds workspace events; updates `state` in place (see decider.ts). */
export function evolveWorkspaces(
  state: OrganizationState,
  event: WorkspaceEvent,
): OrganizationState {
  switch (event.type) {
    case 'WorkspaceCreated': {
      const { workspaceId, name } = event.data;
      state.workspaces.set(workspaceId, {
        workspaceId,
        name,
        principals: new Map(),
        projectIds: new Set(),
        dashboardIds: new Set(),
      });
      state.workspaceIdByName.set(normalizeName(name), workspaceId);
      return state;
    }
    case 'WorkspaceRenamed': {
      const workspace = state.workspaces.get(event.data.workspaceId);
      if (!workspace) return state;
      state.workspaceIdByName.delete(normalizeName(workspace.name));
      workspace.name = event.data.name;
      state.workspaceIdByName.set(normalizeName(workspace.name), workspace.workspaceId);
      return state;
    }
    case 'WorkspacePrincipalAdded':
    case 'WorkspacePrincipalRoleChanged': {
      const { workspaceId, principal, role } = event.data;
      const workspace = state.workspaces.get(workspaceId);
      if (!workspace) return state;
      const key = principalKey(principal);
      workspace.principals.set(key, {
        principal: { type: principal.type, id: principal.id },
        role,
      });
      addToIndex(state.workspacesByPrincipal, key, workspaceId);
      return state;
    }
    case 'WorkspacePrincipalRemoved': {
      const { workspaceId, principal } = event.data;
      const key = principalKey(principal);
      state.workspaces.get(workspaceId)?.principals.delete(key);
      removeFromIndex(state.workspacesByPrincipal, key, workspaceId);
      return state;
    }
    default: {
      const _exhaustive: never = event;
      return state;
    }
  }
}
