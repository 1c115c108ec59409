import {
  principalKey,
  roleName,
  workspaceRoleAtLeast,
  type OrganizationState,
  type ProjectState,
} from '#libs/domain';
import type { DocumentChange } from '../document-store.port.js';
import { Collections, type ProjectAccessDocument } from '../documents.js';
import type { ProjectedEvent, Projection } from '../projection.js';
import {
  holdsProjectRole,
  projectAccessOf,
  projectRoleHolders,
  projectsWithRoleOf,
  usersOf,
} from './access-paths.js';
import { docId, put, remove } from './changes.js';

/**
 * What an event changes in project_access, noted before evolve (group members, the workspace
 * role being replaced): single rows, per user the projects whose row is recomputed; whole
 * users (their details are on every row); whole projects.
 *
 * The rows stored are those of members holding a role on the project itself — its owner and
 * members, directly or through a group — each the engine's whole answer for that member
 * (workspace and org-admin paths included). Org admins and workspace editors and admins
 * without such a role have no stored row: the reads add theirs from the state through the
 * engine (implied-project-access.ts, ADR 22), so that promoting a member to full_access
 * rewrites their own few rows, not one per project of the organization.
 *
 * For whole users and projects, `had` notes where their rows may have been before the event (a
 * superset, from the state before): the projects where a user held a role, the users who held
 * one on a project. The rows recomputed are put and the others of `had` deleted by id — what a
 * replaceWhere on the user or project would do, without the store having to find (and so
 * index, and keep indexed on every write) the rows by user or by project.
 */
interface ProjectAccessScope {
  cells?: readonly Cells[];
  users?: readonly Whole[];
  projects?: readonly Whole[];
}

/** One user's rows on some projects, recomputed one by one. */
interface Cells {
  userId: string;
  projectIds: Iterable<string>;
}

/** A user (or project) whose every row is recomputed, and the projects (users) of its rows before. */
interface Whole {
  id: string;
  had: ReadonlySet<string>;
}

const NONE: ProjectAccessScope = {};
const NO_IDS: ReadonlySet<string> = new Set();

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

/**
 * The row of one member on one project — the engine's answer, whoever stores it — or undefined
 * when they have no access there.
 */
export function projectAccessDocument(
  state: OrganizationState,
  project: ProjectState,
  userId: string,
): ProjectAccessDocument | undefined {
  const context = rowContext(state, userId);
  return context && row(state, project, context);
}

/** The row stored for a member on a project: only where they hold a role on it themselves. */
function storedRow(
  state: OrganizationState,
  project: ProjectState,
  context: RowContext | undefined,
): ProjectAccessDocument | undefined {
  if (!context || !holdsProjectRole(state, context.userId, project)) return undefined;
  return row(state, project, context);
}

function rowsOfProject(state: OrganizationState, project: ProjectState): ProjectAccessDocument[] {
  const rows: ProjectAccessDocument[] = [];
  if (!project.live) return rows;
  for (const userId of projectRoleHolders(state, project)) {
    const document = storedRow(state, project, rowContext(state, userId));
    if (document) rows.push(document);
  }
  return rows;
}

function rowsOfUser(state: OrganizationState, userId: string): ProjectAccessDocument[] {
  const rows: ProjectAccessDocument[] = [];
  const context = rowContext(state, userId);
  if (!context) return rows;
  for (const projectId of projectsWithRoleOf(state, userId)) {
    const project = state.projects.get(projectId);
    const document = project && storedRow(state, project, context);
    if (document) rows.push(document);
  }
  return rows;
}

/**
 * Every row the projection stores, recomputed from the state alone: what documentsOf holds and
 * the specs compare the projection with. The rows a read serves add the implied ones
 * (projectAccessRows).
 */
export function storedProjectAccessDocuments(state: OrganizationState): ProjectAccessDocument[] {
  const rows: ProjectAccessDocument[] = [];
  for (const project of state.projects.values()) rows.push(...rowsOfProject(state, project));
  return rows;
}

/**
 * What joining or leaving groups changes for each of the users: their rows on the groups' own
 * projects, and their other stored rows in the workspaces where one of the groups is editor or
 * admin (the row lists `workspace:<role>`, R30). Taken on the state before the event.
 */
function groupMembershipCells(
  before: OrganizationState,
  groupIds: readonly string[],
  userIds: Iterable<string>,
): ProjectAccessScope {
  const ofGroups = new Set<string>();
  const wideIn = new Set<string>();
  for (const groupId of groupIds) {
    const key = principalKey({ type: 'group', id: groupId });
    for (const id of before.projectsByPrincipal.get(key) ?? []) ofGroups.add(id);
    for (const workspaceId of before.workspacesByPrincipal.get(key) ?? []) {
      const role = before.workspaces.get(workspaceId)?.principals.get(key)?.role;
      if (workspaceRoleAtLeast(role, 'editor')) wideIn.add(workspaceId);
    }
  }
  const touched: Cells[] = [];
  for (const userId of userIds) {
    const projectIds = new Set(ofGroups);
    if (wideIn.size > 0) {
      for (const id of projectsWithRoleOf(before, userId)) {
        const workspaceId = before.projects.get(id)?.workspaceId;
        if (workspaceId !== undefined && wideIn.has(workspaceId)) projectIds.add(id);
      }
    }
    if (projectIds.size > 0) touched.push({ userId, projectIds });
  }
  return { cells: touched };
}

/** The same projects for each of the users: a cross product. */
const cells = (projectIds: Iterable<string>, userIds: Iterable<string>): ProjectAccessScope => {
  const projects = [...projectIds];
  return { cells: [...userIds].map((userId) => ({ userId, projectIds: projects })) };
};

/** Whole users, with the projects where they may have rows before the event. */
const wholeUsers = (before: OrganizationState, userIds: Iterable<string>): ProjectAccessScope => ({
  users: [...userIds].map((id) => ({ id, had: projectsWithRoleOf(before, id) })),
});

/** Whole projects, with the users who may have rows on them before the event. */
function wholeProjects(
  before: OrganizationState,
  projectIds: Iterable<string>,
): ProjectAccessScope {
  const projects: Whole[] = [];
  for (const id of projectIds) {
    const project = before.projects.get(id);
    const had = project?.live === true ? projectRoleHolders(before, project) : NO_IDS;
    projects.push({ id, had });
  }
  return { projects };
}

/**
 * One row per (member, live project) where the member holds a role on the project itself,
 * with the effective role and every path granting it (R28, R30), and the member's details for
 * the CSV (R30). The rows of org admins and workspace editors and admins without such a role
 * are the engine's to answer when read (ADR 22).
 */
export const projectAccessProjection: Projection<ProjectAccessScope> = {
  name: 'project_access',
  // 2: org admins' and workspace editors' rows without a role of their own are no longer
  // stored (ADR 22); a read model of version 1 still holds them, so it is rebuilt.
  version: 2,
  collections: {
    [Collections.projectAccess]: ['organizationId', 'projectId', 'userId', 'workspaceId', 'role'],
  },

  scope(event: ProjectedEvent, before: OrganizationState): ProjectAccessScope {
    switch (event.type) {
      case 'MemberActivated':
      case 'MemberRoleChanged':
      case 'MemberDeactivated':
      case 'MemberReactivated':
      case 'MemberRemoved':
        // A promotion too: the member's own rows gain the org-admin path, no other row moves.
        return wholeUsers(before, [event.data.userId]);
      case 'RoleUpdated': {
        // Rows carry the role's name: a rename rewrites its holders' rows.
        const previous = before.roles.get(event.data.roleId);
        if (previous !== undefined && previous.name === event.data.name) return NONE;
        return wholeUsers(before, before.holdersByRole.get(event.data.roleId) ?? []);
      }
      case 'GroupRenamed': {
        // Rows name groups only on their project paths (`group:<name>`, R30).
        const group = { type: 'group' as const, id: event.data.groupId };
        return cells(
          before.projectsByPrincipal.get(principalKey(group)) ?? [],
          usersOf(before, group),
        );
      }
      case 'GroupDeleted': {
        const group = { type: 'group' as const, id: event.data.groupId };
        return groupMembershipCells(before, [group.id], usersOf(before, group));
      }
      case 'GroupMembersAdded':
        return groupMembershipCells(before, [event.data.groupId], event.data.userIds);
      case 'GroupMemberRemoved':
        return groupMembershipCells(before, [event.data.groupId], [event.data.userId]);
      case 'DirectoryMembershipSynced':
        return groupMembershipCells(
          before,
          [...event.data.joined, ...event.data.left],
          [event.data.userId],
        );
      case 'WorkspaceRenamed':
        return wholeProjects(
          before,
          before.workspaces.get(event.data.workspaceId)?.projectIds ?? [],
        );
      case 'WorkspacePrincipalAdded':
      case 'WorkspacePrincipalRoleChanged':
      case 'WorkspacePrincipalRemoved': {
        // Only editor and admin reach projects (R22, R28), and only the rows of users holding a
        // role on a project of the workspace are stored: other users' rows are implied.
        const { workspaceId, principal } = event.data;
        const workspace = before.workspaces.get(workspaceId);
        const previous = workspace?.principals.get(principalKey(principal))?.role;
        const next = event.type === 'WorkspacePrincipalRemoved' ? undefined : event.data.role;
        if (
          !workspace ||
          (!workspaceRoleAtLeast(previous, 'editor') && !workspaceRoleAtLeast(next, 'editor'))
        ) {
          return NONE;
        }
        const touched: Cells[] = [];
        for (const userId of usersOf(before, principal)) {
          const projectIds = [...projectsWithRoleOf(before, userId)].filter((id) =>
            workspace.projectIds.has(id),
          );
          if (projectIds.length > 0) touched.push({ userId, projectIds });
        }
        return { cells: touched };
      }
      case 'ProjectCreated':
        return { projects: [{ id: event.data.projectId, had: NO_IDS }] };
      case 'ProjectDeleted':
        return wholeProjects(before, [event.data.projectId]);
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
        // OrganizationCreated and MemberInvited among them: a new member holds no project role.
        return NONE;
    }
  },

  project(_event: ProjectedEvent, scope: ProjectAccessScope, after: OrganizationState) {
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
      for (const row of project ? rowsOfProject(after, project) : []) {
        changes.push(put(collection, row));
        kept.add(row.userId);
      }
      for (const userId of had) {
        if (!kept.has(userId))
          changes.push(remove(collection, docId(organizationId, projectId, userId)));
      }
    }
    // User by user, so that each member's context (groups, role, admin) is computed once.
    for (const { userId, projectIds } of scope.cells ?? []) {
      const context = rowContext(after, userId);
      for (const projectId of projectIds) {
        const project = after.projects.get(projectId);
        const document = project && storedRow(after, project, context);
        changes.push(
          document
            ? put(collection, document)
            : remove(collection, docId(organizationId, projectId, userId)),
        );
      }
    }
    return changes;
  },
};
