import type { ProjectMembersRemoved } from '../../project/project.events.js';
import { principalKey, type Principal } from '../../shared/principal.js';
import type { WorkspacePrincipalRemoved } from '../../workspace/workspace.events.js';
import type { OrganizationState } from '../organization.state.js';

/**
 * The roles a principal loses when it leaves the organization (R11) or is deleted (R19): one
 * event per workspace and per project membership, each caused by the event at `causedBy`.
 * Reads the principal's indexes only, never every workspace or project. Callers have checked
 * that the principal owns no live project, so only non-owner memberships are left here.
 */
export function removalOfPrincipal(
  state: OrganizationState,
  principal: Principal,
  causedBy: number,
): (WorkspacePrincipalRemoved | ProjectMembersRemoved)[] {
  const key = principalKey(principal);
  const events: (WorkspacePrincipalRemoved | ProjectMembersRemoved)[] = [];
  for (const workspaceId of [...(state.workspacesByPrincipal.get(key) ?? [])].sort()) {
    events.push({
      type: 'WorkspacePrincipalRemoved',
      data: { workspaceId, principal: { ...principal } },
      causedBy,
    });
  }
  for (const projectId of [...(state.projectsByPrincipal.get(key) ?? [])].sort()) {
    events.push({
      type: 'ProjectMembersRemoved',
      data: { projectId, principals: [{ ...principal }] },
      causedBy,
    });
  }
  return events;
}
