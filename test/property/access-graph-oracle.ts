import type { Principal } from '#libs/domain';
import type { RecordedEvent } from '#libs/event-store';

/**
 * An independent reading of the history, for the property test: folds the recorded events
 * into the few facts the invariants speak of, without the deciders' code. If the deciders and
 * this oracle disagree about what the events mean, the invariants catch it.
 */
export interface OracleState {
  members: Map<string, { status: string; roleId: string; everActive: boolean }>;
  groups: Set<string>;
  /** workspaceId -> principal keys holding a role. */
  workspaces: Map<string, Set<string>>;
  /** projectId -> owner key and member keys, for live projects. */
  projects: Map<string, { owners: Set<string>; members: Set<string> }>;
}

const key = (p: Principal) => `${p.type}:${p.id}`;

export function foldOracle(events: RecordedEvent[]): OracleState {
  const state: OracleState = {
    members: new Map(),
    groups: new Set(),
    workspaces: new Map(),
    projects: new Map(),
  };
  for (const { type, data } of events) {
    const d = data as Record<string, never>;
    switch (type) {
      case 'OrganizationCreated':
        state.members.set((d.firstMember as { userId: string }).userId, {
          status: 'active',
          roleId: 'full_access',
          everActive: true,
        });
        break;
      case 'MemberInvited':
        state.members.set(d.userId, { status: 'invited', roleId: d.roleId, everActive: false });
        break;
      case 'MemberActivated':
        Object.assign(state.members.get(d.userId)!, { status: 'active', everActive: true });
        break;
      case 'MemberReactivated': {
        // An invitee deactivated before signing in goes back to invited: sign-in activates.
        const member = state.members.get(d.userId)!;
        member.status = member.everActive ? 'active' : 'invited';
        break;
      }
      case 'MemberDeactivated':
        state.members.get(d.userId)!.status = 'deactivated';
        break;
      case 'MemberRoleChanged':
        state.members.get(d.userId)!.roleId = d.roleId;
        break;
      case 'MemberRemoved':
        state.members.delete(d.userId);
        break;
      case 'GroupCreated':
      case 'DirectoryGroupLinked':
        state.groups.add(d.groupId);
        break;
      case 'GroupDeleted':
        state.groups.delete(d.groupId);
        break;
      case 'WorkspaceCreated':
        state.workspaces.set(d.workspaceId, new Set());
        break;
      case 'WorkspacePrincipalAdded':
        state.workspaces.get(d.workspaceId)!.add(key(d.principal));
        break;
      case 'WorkspacePrincipalRemoved':
        state.workspaces.get(d.workspaceId)!.delete(key(d.principal));
        break;
      case 'ProjectCreated':
        state.projects.set(d.projectId, { owners: new Set([key(d.owner)]), members: new Set() });
        break;
      case 'ProjectMemberAdded':
        state.projects.get(d.projectId)!.members.add(key(d.principal));
        break;
      case 'ProjectMembersRemoved':
        for (const p of d.principals as Principal[])
          state.projects.get(d.projectId)!.members.delete(key(p));
        break;
      case 'OwnershipTransferred': {
        const project = state.projects.get(d.projectId)!;
        project.owners.delete(key(d.from));
        project.members.delete(key(d.to));
        project.owners.add(key(d.to));
        project.members.add(key(d.from));
        break;
      }
      case 'ProjectDeleted':
        state.projects.delete(d.projectId);
        break;
    }
  }
  return state;
}

/** The invariants of the issue, as messages; empty when all hold. */
export function brokenInvariants(state: OracleState): string[] {
  const broken: string[] = [];
  const activeAdmins = [...state.members.values()].filter(
    (m) => m.status === 'active' && m.roleId === 'full_access',
  );
  if (activeAdmins.length === 0) broken.push('R8: no active full_access member');
  const exists = (principalKey: string) => {
    const [type, id] = principalKey.split(':');
    return type === 'user' ? state.members.has(id) : state.groups.has(id);
  };
  for (const [projectId, project] of state.projects) {
    if (project.owners.size !== 1)
      broken.push(`R25: project ${projectId} has ${project.owners.size} owners`);
    for (const holder of [...project.owners, ...project.members]) {
      if (!exists(holder))
        broken.push(`R11/R19: ${holder} left but holds a role in project ${projectId}`);
    }
  }
  for (const [workspaceId, principals] of state.workspaces) {
    for (const holder of principals) {
      if (!exists(holder))
        broken.push(`R11/R19: ${holder} left but holds a role in workspace ${workspaceId}`);
    }
  }
  return broken;
}
