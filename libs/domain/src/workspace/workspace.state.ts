import type { Principal, WorkspaceEvent, WorkspaceRole } from './workspace.events.js';

export interface WorkspaceState {
  exists: boolean;
  workspaceId: string;
  organizationId: string;
  name: string;
  /** principalKey(principal) -> role. */
  principals: Map<string, { principal: Principal; role: WorkspaceRole }>;
}

export const principalKey = (principal: Principal): string => `${principal.type}:${principal.id}`;

export function initialWorkspaceState(): WorkspaceState {
  return { exists: false, workspaceId: '', organizationId: '', name: '', principals: new Map() };
}

/** Updates `state` in place and returns it (see decider.ts). */
export function evolveWorkspace(state: WorkspaceState, event: WorkspaceEvent): WorkspaceState {
  switch (event.type) {
    case 'WorkspaceCreated':
      state.exists = true;
      state.workspaceId = event.data.workspaceId;
      state.organizationId = event.data.organizationId;
      state.name = event.data.name;
      return state;
    case 'WorkspacePrincipalAdded': {
      const { principal, role } = event.data;
      state.principals.set(principalKey(principal), { principal: { ...principal }, role });
      return state;
    }
    default: {
      const _exhaustive: never = event;
      return state;
    }
  }
}
