import type {
  AddProjectMember,
  ChangeProjectMemberRole,
  CreateProject,
  DeleteProject,
  RemoveProjectMembers,
  TransferOwnership,
} from '../../project/project.commands.js';
import type {
  OwnershipTransferred,
  ProjectCreated,
  ProjectDeleted,
  ProjectMemberAdded,
  ProjectMemberRole,
  ProjectMemberRoleChanged,
  ProjectMembersRemoved,
} from '../../project/project.events.js';
import { principalKey, type Principal } from '../../shared/principal.js';
import { requireId, requireName } from '../../shared/validation.js';
import { liveProject } from '../access.js';
import { requireProjectManager, requireWorkspaceUser } from '../access-graph.authorize.js';
import { AccessErrors } from '../errors/access.errors.js';
import { ProjectErrors } from '../errors/projects.errors.js';
import type { MemberState, OrganizationState, ProjectState } from '../organization.state.js';
import { isProjectMemberRole } from '../roles-order.js';
import { requireExistingPrincipal, requirePrincipal } from './principals.js';
import { requireWorkspace } from './workspaces.decide.js';

const MANAGERS =
  'Only the project owner, admins of its workspace and org admins manage its members.';

const samePrincipal = (a: Principal, b: Principal): boolean => a.type === b.type && a.id === b.id;

/** R24: workspace role `user` or higher (or org admin); the creator becomes the owner. */
export function decideCreateProject(
  command: CreateProject,
  state: OrganizationState,
  actor: MemberState,
): ProjectCreated[] {
  const projectId = requireId(command.data.projectId, 'projectId');
  const name = requireName(command.data.name, 'name', 'INVALID_PROJECT_NAME', 128);
  const workspace = requireWorkspace(state, command.data.workspaceId);
  requireWorkspaceUser(
    state,
    actor.userId,
    workspace.workspaceId,
    'Creating a project takes workspace role user or higher; ask an admin of this workspace.',
  );
  if (state.projects.has(projectId)) throw ProjectErrors.projectAlreadyExists(projectId);
  return [
    {
      type: 'ProjectCreated',
      data: {
        projectId,
        workspaceId: workspace.workspaceId,
        name,
        owner: { type: 'user', id: actor.userId },
      },
    },
  ];
}

/** R26: org members or groups not yet in the project; `viewer` unless told otherwise. */
export function decideAddProjectMember(
  command: AddProjectMember,
  state: OrganizationState,
  actor: MemberState,
): ProjectMemberAdded[] {
  const project = requireProject(state, command.data.projectId);
  const principal = requirePrincipal(command.data.principal);
  const role = requireMemberRole(command.data.role ?? 'viewer');
  requireProjectManager(state, actor.userId, project, MANAGERS);
  requireExistingPrincipal(state, principal);
  const isOwner = samePrincipal(project.owner, principal);
  if (isOwner || project.members.has(principalKey(principal))) {
    throw ProjectErrors.principalAlreadyInProject(project.projectId, principal, isOwner);
  }
  return [{ type: 'ProjectMemberAdded', data: { projectId: project.projectId, principal, role } }];
}

/** R26: between viewer and user only; the owner's role moves only by transfer (R25). */
export function decideChangeProjectMemberRole(
  command: ChangeProjectMemberRole,
  state: OrganizationState,
  actor: MemberState,
): ProjectMemberRoleChanged[] {
  const project = requireProject(state, command.data.projectId);
  const principal = requirePrincipal(command.data.principal);
  const role = requireMemberRole(command.data.role);
  requireProjectManager(state, actor.userId, project, MANAGERS);
  if (samePrincipal(project.owner, principal)) {
    throw ProjectErrors.ownerRoleFixed(project.projectId, principal);
  }
  const held = project.members.get(principalKey(principal));
  if (!held) throw ProjectErrors.principalNotInProject(project.projectId, [principal]);
  if (held.role === role) return [];
  return [
    {
      type: 'ProjectMemberRoleChanged',
      data: { projectId: project.projectId, principal, role, previousRole: held.role },
    },
  ];
}

/** R26: in batches, all or nothing; the owner cannot be removed (R25). */
export function decideRemoveProjectMembers(
  command: RemoveProjectMembers,
  state: OrganizationState,
  actor: MemberState,
): ProjectMembersRemoved[] {
  const project = requireProject(state, command.data.projectId);
  const given = command.data.principals;
  if (!Array.isArray(given) || given.length === 0) throw ProjectErrors.invalidPrincipals();
  const principals: Principal[] = [];
  const seen = new Set<string>();
  for (const value of given) {
    const principal = requirePrincipal(value, 'principals');
    const key = principalKey(principal);
    if (seen.has(key)) throw AccessErrors.duplicatePrincipal(principal);
    seen.add(key);
    principals.push(principal);
  }
  requireProjectManager(state, actor.userId, project, MANAGERS);
  if (principals.some((principal) => samePrincipal(project.owner, principal))) {
    throw ProjectErrors.ownerCannotBeRemoved(project.projectId, project.owner);
  }
  const strangers = principals.filter((principal) => !project.members.has(principalKey(principal)));
  if (strangers.length > 0) throw ProjectErrors.principalNotInProject(project.projectId, strangers);
  return [{ type: 'ProjectMembersRemoved', data: { projectId: project.projectId, principals } }];
}

/**
 * R25: to a current project member (user or group), who is a current org member or group
 * because leaving the organization or being deleted removes them from every project (R11,
 * R19). The previous owner stays as `user`. To the current owner: nothing to record.
 */
export function decideTransferOwnership(
  command: TransferOwnership,
  state: OrganizationState,
  actor: MemberState,
): OwnershipTransferred[] {
  const project = requireProject(state, command.data.projectId);
  const to = requirePrincipal(command.data.to, 'to');
  requireProjectManager(
    state,
    actor.userId,
    project,
    'Only the project owner, admins of its workspace and org admins transfer its ownership.',
  );
  if (samePrincipal(project.owner, to)) return [];
  if (!project.members.has(principalKey(to))) {
    throw ProjectErrors.newOwnerNotInProject(project.projectId, to);
  }
  return [
    {
      type: 'OwnershipTransferred',
      data: { projectId: project.projectId, from: { ...project.owner }, to },
    },
  ];
}

/** R27. */
export function decideDeleteProject(
  command: DeleteProject,
  state: OrganizationState,
  actor: MemberState,
): ProjectDeleted[] {
  const project = requireProject(state, command.data.projectId);
  requireProjectManager(
    state,
    actor.userId,
    project,
    'Only the project owner, admins of its workspace and org admins delete it.',
  );
  return [{ type: 'ProjectDeleted', data: { projectId: project.projectId } }];
}

/** Deleted projects answer like unknown ones (R27). */
function requireProject(state: OrganizationState, projectId: string): ProjectState {
  const project = liveProject(state, requireId(projectId, 'projectId'));
  if (!project) throw ProjectErrors.projectNotFound(projectId);
  return project;
}

function requireMemberRole(role: unknown): ProjectMemberRole {
  if (!isProjectMemberRole(role)) throw ProjectErrors.invalidProjectRole(role);
  return role;
}
