import type { ProjectEvent } from '../../project/project.events.js';
import { principalKey, type Principal } from '../../shared/principal.js';
import { addToIndex, removeFromIndex } from '../indexes.js';
import type { OrganizationState, ProjectState } from '../organization.state.js';

/** Folds project events; updates `state` in place (see decider.ts). */
export function evolveProjects(state: OrganizationState, event: ProjectEvent): OrganizationState {
  switch (event.type) {
    case 'ProjectCreated': {
      const { projectId, workspaceId, name, owner } = event.data;
      const project: ProjectState = {
        projectId,
        workspaceId,
        name,
        owner: copy(owner),
        members: new Map(),
        live: true,
      };
      state.projects.set(projectId, project);
      state.workspaces.get(workspaceId)?.projectIds.add(projectId);
      indexOwner(state, project);
      return state;
    }
    case 'ProjectMemberAdded':
    case 'ProjectMemberRoleChanged': {
      const project = liveProject(state, event.data.projectId);
      if (!project) return state;
      const { principal, role } = event.data;
      const key = principalKey(principal);
      project.members.set(key, { principal: copy(principal), role });
      addToIndex(state.projectsByPrincipal, key, project.projectId);
      return state;
    }
    case 'ProjectMembersRemoved': {
      const project = liveProject(state, event.data.projectId);
      if (!project) return state;
      for (const principal of event.data.principals) {
        const key = principalKey(principal);
        project.members.delete(key);
        removeFromIndex(state.projectsByPrincipal, key, project.projectId);
      }
      return state;
    }
    case 'OwnershipTransferred': {
      // R25: the new owner leaves the member list; the previous owner joins it as `user`.
      const project = liveProject(state, event.data.projectId);
      if (!project) return state;
      const { from, to } = event.data;
      unindexOwner(state, project);
      project.members.delete(principalKey(to));
      project.owner = copy(to);
      indexOwner(state, project);
      const fromKey = principalKey(from);
      project.members.set(fromKey, { principal: copy(from), role: 'user' });
      addToIndex(state.projectsByPrincipal, fromKey, project.projectId);
      return state;
    }
    case 'ProjectDeleted': {
      const project = liveProject(state, event.data.projectId);
      if (!project) return state;
      unindexOwner(state, project);
      for (const key of project.members.keys()) {
        removeFromIndex(state.projectsByPrincipal, key, project.projectId);
      }
      state.workspaces.get(project.workspaceId)?.projectIds.delete(project.projectId);
      project.live = false;
      return state;
    }
    default: {
      const _exhaustive: never = event;
      return state;
    }
  }
}

const copy = (principal: Principal): Principal => ({ type: principal.type, id: principal.id });

function liveProject(state: OrganizationState, projectId: string): ProjectState | undefined {
  const project = state.projects.get(projectId);
  return project?.live ? project : undefined;
}

function indexOwner(state: OrganizationState, project: ProjectState): void {
  const key = principalKey(project.owner);
  addToIndex(state.projectsOwnedBy, key, project.projectId);
  addToIndex(state.projectsByPrincipal, key, project.projectId);
}

function unindexOwner(state: OrganizationState, project: ProjectState): void {
  const key = principalKey(project.owner);
  removeFromIndex(state.projectsOwnedBy, key, project.projectId);
  removeFromIndex(state.projectsByPrincipal, key, project.projectId);
}
