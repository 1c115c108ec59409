import {
  principalKey,
  workspaceUsage,
  type OrganizationState,
  type WorkspaceUsage,
} from '#libs/domain';
import type { DocumentChange } from '../document-store.port.js';
import { Collections, type WorkspaceDocument } from '../documents.js';
import type { ProjectedEvent, Projection } from '../projection.js';
import { reachesWorkspace, usersOf } from './access-paths.js';
import { docId, put, remove } from './changes.js';
import { StateMemo } from './state-memo.js';

/**
 * The workspaces an event changes, and for R23's counts of distinct users and of groups: the
 * users and groups whose reach into them the event may change, with how many of them reached
 * each workspace before it (counted before evolve, which takes that information away).
 */
interface WorkspacesScope {
  workspaceIds: readonly string[];
  userIds: readonly string[];
  groupIds: readonly string[];
  usersBefore: readonly number[];
  groupsBefore: readonly number[];
}

const NONE: WorkspacesScope = {
  workspaceIds: [],
  userIds: [],
  groupIds: [],
  usersBefore: [],
  groupsBefore: [],
};

type Counts = Pick<WorkspaceUsage, 'users' | 'groups'>;

/**
 * Distinct users and groups per workspace. The Default workspace holds every member (R9), so
 * counting them afresh on each invitation would make a rebuild quadratic: counts are kept
 * per state and moved by each event's difference (see StateMemo).
 */
const counts = new StateMemo<Map<string, Counts>>(() => new Map());

export function workspaceDocument(
  state: OrganizationState,
  workspaceId: string,
  known?: Counts,
): WorkspaceDocument | undefined {
  const workspace = state.workspaces.get(workspaceId);
  if (!workspace) return undefined;
  const { users, groups } = known ?? (workspaceUsage(state, workspaceId) as WorkspaceUsage);
  return {
    _id: docId(state.organizationId, workspaceId),
    organizationId: state.organizationId,
    workspaceId,
    name: workspace.name,
    usage: {
      projects: workspace.projectIds.size,
      dashboards: workspace.dashboardIds.size,
      groups,
      users,
    },
  };
}

export function workspaceDocuments(state: OrganizationState): WorkspaceDocument[] {
  const documents: WorkspaceDocument[] = [];
  for (const workspaceId of state.workspaces.keys()) {
    const document = workspaceDocument(state, workspaceId);
    if (document) documents.push(document);
  }
  return documents;
}

function reached(
  state: OrganizationState,
  workspaceId: string,
  userIds: readonly string[],
  groupIds: readonly string[],
): [users: number, groups: number] {
  let users = 0;
  for (const userId of userIds) if (reachesWorkspace(state, userId, workspaceId)) users += 1;
  let groups = 0;
  const principals = state.workspaces.get(workspaceId)?.principals;
  for (const groupId of groupIds) {
    if (principals?.has(principalKey({ type: 'group', id: groupId }))) groups += 1;
  }
  return [users, groups];
}

function scopeOf(
  before: OrganizationState,
  workspaceIds: readonly string[],
  userIds: readonly string[] = [],
  groupIds: readonly string[] = [],
): WorkspacesScope {
  const usersBefore: number[] = [];
  const groupsBefore: number[] = [];
  if (userIds.length > 0 || groupIds.length > 0) {
    for (const workspaceId of workspaceIds) {
      const [users, groups] = reached(before, workspaceId, userIds, groupIds);
      usersBefore.push(users);
      groupsBefore.push(groups);
    }
  }
  return { workspaceIds, userIds, groupIds, usersBefore, groupsBefore };
}

const workspacesOfGroups = (state: OrganizationState, groupIds: readonly string[]): string[] => {
  const ids = new Set<string>();
  for (const groupId of groupIds) {
    for (const id of state.workspacesByPrincipal.get(
      principalKey({ type: 'group', id: groupId }),
    ) ?? [])
      ids.add(id);
  }
  return [...ids];
};

/** Workspaces with their usage (R20, R23). */
export const workspacesProjection: Projection<WorkspacesScope> = {
  name: 'workspaces',
  version: 1,
  collections: { [Collections.workspaces]: ['organizationId', 'workspaceId'] },

  scope(event: ProjectedEvent, before: OrganizationState): WorkspacesScope {
    switch (event.type) {
      case 'WorkspaceCreated':
      case 'WorkspaceRenamed':
        return scopeOf(before, [event.data.workspaceId]);
      case 'WorkspacePrincipalAdded':
      case 'WorkspacePrincipalRoleChanged':
      case 'WorkspacePrincipalRemoved': {
        const { workspaceId, principal } = event.data;
        return principal.type === 'user'
          ? scopeOf(before, [workspaceId], [principal.id])
          : scopeOf(before, [workspaceId], [...usersOf(before, principal)], [principal.id]);
      }
      case 'GroupMembersAdded':
        return scopeOf(
          before,
          workspacesOfGroups(before, [event.data.groupId]),
          event.data.userIds,
        );
      case 'GroupMemberRemoved':
        return scopeOf(before, workspacesOfGroups(before, [event.data.groupId]), [
          event.data.userId,
        ]);
      case 'DirectoryMembershipSynced': {
        const groupIds = [...event.data.joined, ...event.data.left];
        return scopeOf(before, workspacesOfGroups(before, groupIds), [event.data.userId]);
      }
      case 'GroupDeleted': {
        const { groupId } = event.data;
        const members = [...usersOf(before, { type: 'group', id: groupId })];
        return scopeOf(before, workspacesOfGroups(before, [groupId]), members);
      }
      case 'ProjectCreated':
      case 'DashboardCreated':
        return scopeOf(before, [event.data.workspaceId]);
      case 'ProjectDeleted': {
        const workspaceId = before.projects.get(event.data.projectId)?.workspaceId;
        return workspaceId === undefined ? NONE : scopeOf(before, [workspaceId]);
      }
      case 'DashboardDeleted': {
        const workspaceId = before.dashboards.get(event.data.dashboardId)?.workspaceId;
        return workspaceId === undefined ? NONE : scopeOf(before, [workspaceId]);
      }
      default:
        return NONE;
    }
  },

  project(event: ProjectedEvent, scope: WorkspacesScope, after: OrganizationState) {
    const { workspaceIds, userIds, groupIds, usersBefore, groupsBefore } = scope;
    const known = counts.advance(after, event.revision, (memo) => {
      if (usersBefore.length === 0) return;
      workspaceIds.forEach((workspaceId, i) => {
        const entry = memo.get(workspaceId);
        if (!entry) return;
        const [users, groups] = reached(after, workspaceId, userIds, groupIds);
        entry.users += users - usersBefore[i];
        entry.groups += groups - groupsBefore[i];
      });
    });
    const changes: DocumentChange[] = [];
    for (const workspaceId of workspaceIds) {
      let entry = known.get(workspaceId);
      if (!entry && after.workspaces.has(workspaceId)) {
        const { users, groups } = workspaceUsage(after, workspaceId) as WorkspaceUsage;
        known.set(workspaceId, (entry = { users, groups }));
      }
      const document = workspaceDocument(after, workspaceId, entry);
      changes.push(
        document
          ? put(Collections.workspaces, document)
          : remove(Collections.workspaces, docId(after.organizationId, workspaceId)),
      );
    }
    return changes;
  },
};
