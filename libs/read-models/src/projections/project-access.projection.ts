import {
  principalKey,
  roleName,
  workspaceRoleAtLeast,
  type OrganizationState,
  type Principal,
  type ProjectState,
} from '#libs/domain';
import type { DocumentChange } from '../document-store.port.js';
import { Collections, type ProjectAccessDocument } from '../documents.js';
import type { ProjectedEvent, Projection } from '../projection.js';
import {
  candidateProjectsOfUser,
  projectAccessOf,
  projectsReachedBy,
  usersOf,
} from './access-paths.js';
import { docId, put, remove } from './changes.js';
import { StateMemo } from './state-memo.js';

/**
 * What an event changes in project_access, noted before evolve (group members, the workspace
 * role being replaced): single rows, as cross products of projects and users, recomputed one
 * by one; whole users (their details are on every row, and an org admin sees every project);
 * whole projects.
 *
 * For whole users and projects, `had` notes where their rows may have been before the event (a
 * superset, from the state before): the projects a user could reach, the users who could reach
 * a project; nothing for a member just invited or a project just created. The rows recomputed are put and the others of `had` deleted
 * by id — what a replaceWhere on the user or project would do, without the store having to
 * find (and so index, and keep indexed on every write) the rows by user or by project.
 */
interface ProjectAccessScope {
  cells?: { projectIds: readonly string[]; userIds: readonly string[] };
  users?: readonly Whole[];
  projects?: readonly Whole[];
}

/** A user (or project) whose every row is recomputed, and the projects (users) of its rows before. */
interface Whole {
  id: string;
  had: ReadonlySet<string>;
}

const NONE: ProjectAccessScope = {};
const NO_IDS: ReadonlySet<string> = new Set();

/**
 * Per workspace, the principals holding `editor` or `admin` (R22: they view every project):
 * a new project's rows must not scan the Default workspace's every member (R9).
 */
const privileged = new StateMemo<Map<string, Map<string, Principal>>>((state) => {
  const byWorkspace = new Map<string, Map<string, Principal>>();
  for (const workspace of state.workspaces.values()) {
    const principals = new Map<string, Principal>();
    for (const [key, { principal, role }] of workspace.principals) {
      if (workspaceRoleAtLeast(role, 'editor')) principals.set(key, principal);
    }
    byWorkspace.set(workspace.workspaceId, principals);
  }
  return byWorkspace;
});

/** The principals with editor or admin in a workspace of `before`, the state ahead of `event`. */
function editorsBefore(
  event: ProjectedEvent,
  before: OrganizationState,
  workspaceId: string,
): Iterable<Principal> {
  // The memo as the previous event left it when it saw that event, else the workspace's own
  // principals: a scan of the workspace, only when the memo cannot be trusted.
  const memo = privileged.peek(before, event.revision - 1);
  if (memo) return memo.get(workspaceId)?.values() ?? [];
  const editors: Principal[] = [];
  for (const { principal, role } of before.workspaces.get(workspaceId)?.principals.values() ?? []) {
    if (workspaceRoleAtLeast(role, 'editor')) editors.push(principal);
  }
  return editors;
}

/** The details of a member every one of their rows repeats (R30). */
interface RowContext {
  userId: string;
  email: string;
  status: ProjectAccessDocument['status'];
  orgRole: string;
}

function rowContext(state: OrganizationState, userId: string): RowContext | undefined {
  const member = state.members.get(userId);
  if (!member) return undefined;
  return {
    userId,
    email: member.email,
    status: member.status,
    orgRole: roleName(state, member.roleId) ?? member.roleId,
  };
}

function row(
  state: OrganizationState,
  project: ProjectState,
  context: RowContext,
): ProjectAccessDocument | undefined {
  const access = projectAccessOf(state, context.userId, project);
  if (!access) return undefined;
  const organizationId = state.organizationId;
  return {
    _id: `${organizationId}:${project.projectId}:${context.userId}`,
    organizationId,
    projectId: project.projectId,
    projectName: project.name,
    workspaceId: project.workspaceId,
    workspaceName: state.workspaces.get(project.workspaceId)?.name ?? '',
    userId: context.userId,
    email: context.email,
    status: context.status,
    orgRole: context.orgRole,
    role: access.role,
    grantedVia: access.grantedVia,
    manages: access.manages,
  };
}

/** The row of one member on one project, or undefined when they have no access there. */
export function projectAccessDocument(
  state: OrganizationState,
  project: ProjectState,
  userId: string,
): ProjectAccessDocument | undefined {
  const context = rowContext(state, userId);
  return context && row(state, project, context);
}

/** Everyone who may have access to a project: owner, members, workspace editors and admins, org admins. */
function audience(
  state: OrganizationState,
  project: ProjectState,
  editors: Iterable<Principal>,
): Set<string> {
  const userIds = new Set<string>(usersOf(state, project.owner));
  for (const { principal } of project.members.values()) {
    for (const userId of usersOf(state, principal)) userIds.add(userId);
  }
  for (const principal of editors) {
    for (const userId of usersOf(state, principal)) userIds.add(userId);
  }
  for (const userId of state.activeFullAccess) userIds.add(userId);
  return userIds;
}

function rowsOfProject(
  state: OrganizationState,
  project: ProjectState,
  editors: Iterable<Principal>,
): ProjectAccessDocument[] {
  const rows: ProjectAccessDocument[] = [];
  if (!project.live) return rows;
  for (const userId of audience(state, project, editors)) {
    const context = rowContext(state, userId);
    const document = context && row(state, project, context);
    if (document) rows.push(document);
  }
  return rows;
}

function rowsOfUser(state: OrganizationState, userId: string): ProjectAccessDocument[] {
  const rows: ProjectAccessDocument[] = [];
  const context = rowContext(state, userId);
  if (!context) return rows;
  for (const projectId of candidateProjectsOfUser(state, userId)) {
    const project = state.projects.get(projectId);
    const document = project && row(state, project, context);
    if (document) rows.push(document);
  }
  return rows;
}

/** Every row, recomputed from the state alone: the oracle of the specs. */
export function projectAccessDocuments(state: OrganizationState): ProjectAccessDocument[] {
  const rows: ProjectAccessDocument[] = [];
  for (const project of state.projects.values()) {
    const editors: Principal[] = [];
    for (const { principal, role } of state.workspaces
      .get(project.workspaceId)
      ?.principals.values() ?? []) {
      if (workspaceRoleAtLeast(role, 'editor')) editors.push(principal);
    }
    rows.push(...rowsOfProject(state, project, editors));
  }
  return rows;
}

function reachedByGroups(state: OrganizationState, groupIds: readonly string[]): string[] {
  const ids = new Set<string>();
  for (const groupId of groupIds) {
    for (const id of projectsReachedBy(state, { type: 'group', id: groupId })) ids.add(id);
  }
  return [...ids];
}

const cells = (projectIds: Iterable<string>, userIds: Iterable<string>): ProjectAccessScope => ({
  cells: { projectIds: [...projectIds], userIds: [...userIds] },
});

/** Whole users, with the projects where they may have rows before the event. */
const wholeUsers = (before: OrganizationState, userIds: Iterable<string>): ProjectAccessScope => ({
  users: [...userIds].map((id) => ({ id, had: candidateProjectsOfUser(before, id) })),
});

/** Whole projects, with the users who may have rows on them before the event. */
function wholeProjects(
  event: ProjectedEvent,
  before: OrganizationState,
  projectIds: Iterable<string>,
): ProjectAccessScope {
  const projects: Whole[] = [];
  for (const id of projectIds) {
    const project = before.projects.get(id);
    const had =
      project?.live === true
        ? audience(before, project, editorsBefore(event, before, project.workspaceId))
        : NO_IDS;
    projects.push({ id, had });
  }
  return { projects };
}

/**
 * One row per (member, live project) where the member has any access, with the effective role
 * and every path granting it (R28, R30), and the member's details for the CSV (R30).
 */
export const projectAccessProjection: Projection<ProjectAccessScope> = {
  name: 'project_access',
  version: 1,
  collections: {
    [Collections.projectAccess]: ['organizationId', 'projectId', 'userId', 'workspaceId', 'role'],
  },

  scope(event: ProjectedEvent, before: OrganizationState): ProjectAccessScope {
    switch (event.type) {
      case 'OrganizationCreated':
        return { users: [{ id: event.data.firstMember.userId, had: NO_IDS }] };
      case 'MemberInvited':
        return { users: [{ id: event.data.userId, had: NO_IDS }] };
      case 'MemberActivated':
      case 'MemberRoleChanged':
      case 'MemberDeactivated':
      case 'MemberReactivated':
      case 'MemberRemoved':
        return wholeUsers(before, [event.data.userId]);
      case 'RoleUpdated': {
        // Rows carry the role's name: a rename rewrites its holders' rows.
        const previous = before.roles.get(event.data.roleId);
        if (previous !== undefined && previous.name === event.data.name) return NONE;
        return wholeUsers(before, before.holdersByRole.get(event.data.roleId) ?? []);
      }
      case 'GroupRenamed': {
        const group = { type: 'group' as const, id: event.data.groupId };
        return cells(
          before.projectsByPrincipal.get(principalKey(group)) ?? [],
          usersOf(before, group),
        );
      }
      case 'GroupDeleted': {
        const group = { type: 'group' as const, id: event.data.groupId };
        return cells(projectsReachedBy(before, group), usersOf(before, group));
      }
      case 'GroupMembersAdded':
        return cells(reachedByGroups(before, [event.data.groupId]), event.data.userIds);
      case 'GroupMemberRemoved':
        return cells(reachedByGroups(before, [event.data.groupId]), [event.data.userId]);
      case 'DirectoryMembershipSynced':
        return cells(reachedByGroups(before, [...event.data.joined, ...event.data.left]), [
          event.data.userId,
        ]);
      case 'WorkspaceRenamed':
        return wholeProjects(
          event,
          before,
          before.workspaces.get(event.data.workspaceId)?.projectIds ?? [],
        );
      case 'WorkspacePrincipalAdded':
      case 'WorkspacePrincipalRoleChanged':
      case 'WorkspacePrincipalRemoved': {
        // Only editor and admin reach projects (R22, R28): other roles change no row.
        const { workspaceId, principal } = event.data;
        const workspace = before.workspaces.get(workspaceId);
        const previous = workspace?.principals.get(principalKey(principal))?.role;
        const next = event.type === 'WorkspacePrincipalRemoved' ? undefined : event.data.role;
        if (!workspaceRoleAtLeast(previous, 'editor') && !workspaceRoleAtLeast(next, 'editor')) {
          return NONE;
        }
        return cells(workspace?.projectIds ?? [], usersOf(before, principal));
      }
      case 'ProjectCreated':
        return { projects: [{ id: event.data.projectId, had: NO_IDS }] };
      case 'ProjectDeleted':
        return wholeProjects(event, before, [event.data.projectId]);
      case 'ProjectMemberAdded':
      case 'ProjectMemberRoleChanged':
        return cells([event.data.projectId], usersOf(before, event.data.principal));
      case 'ProjectMembersRemoved': {
        const userIds = new Set<string>();
        for (const principal of event.data.principals) {
          for (const userId of usersOf(before, principal)) userIds.add(userId);
        }
        return cells([event.data.projectId], userIds);
      }
      case 'OwnershipTransferred': {
        const userIds = new Set<string>(usersOf(before, event.data.from));
        for (const userId of usersOf(before, event.data.to)) userIds.add(userId);
        return cells([event.data.projectId], userIds);
      }
      default:
        return NONE;
    }
  },

  project(event: ProjectedEvent, scope: ProjectAccessScope, after: OrganizationState) {
    const editorsByWorkspace = privileged.advance(after, event.revision, (byWorkspace) => {
      if (
        event.type !== 'WorkspacePrincipalAdded' &&
        event.type !== 'WorkspacePrincipalRoleChanged' &&
        event.type !== 'WorkspacePrincipalRemoved' &&
        event.type !== 'WorkspaceCreated'
      ) {
        return;
      }
      const { workspaceId } = event.data;
      let principals = byWorkspace.get(workspaceId);
      if (!principals) byWorkspace.set(workspaceId, (principals = new Map()));
      if (event.type === 'WorkspaceCreated') return;
      const key = principalKey(event.data.principal);
      const held = after.workspaces.get(workspaceId)?.principals.get(key);
      if (held && workspaceRoleAtLeast(held.role, 'editor')) principals.set(key, held.principal);
      else principals.delete(key);
    });

    const organizationId = after.organizationId;
    const changes: DocumentChange[] = [];
    const collection = Collections.projectAccess;
    for (const { id: userId, had } of scope.users ?? []) {
      const kept = new Set<string>();
      for (const row of rowsOfUser(after, userId)) {
        changes.push(put(collection, row));
        kept.add(row.projectId);
      }
      for (const projectId of had) {
        if (!kept.has(projectId))
          changes.push(remove(collection, docId(organizationId, projectId, userId)));
      }
    }
    for (const { id: projectId, had } of scope.projects ?? []) {
      const project = after.projects.get(projectId);
      const kept = new Set<string>();
      if (project) {
        const editors = editorsByWorkspace.get(project.workspaceId)?.values() ?? [];
        for (const row of rowsOfProject(after, project, editors)) {
          changes.push(put(collection, row));
          kept.add(row.userId);
        }
      }
      for (const userId of had) {
        if (!kept.has(userId))
          changes.push(remove(collection, docId(organizationId, projectId, userId)));
      }
    }
    if (scope.cells) {
      // User by user, so that each member's context (groups, role, admin) is computed once.
      const { projectIds, userIds } = scope.cells;
      for (const userId of userIds) {
        const context = rowContext(after, userId);
        for (const projectId of projectIds) {
          const project = after.projects.get(projectId);
          const document = project && context && row(after, project, context);
          changes.push(
            document
              ? put(collection, document)
              : remove(collection, docId(organizationId, projectId, userId)),
          );
        }
      }
    }
    return changes;
  },
};
