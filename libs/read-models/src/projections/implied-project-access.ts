import { workspaceRoleAtLeast, type OrganizationState, type ProjectState } from '#libs/domain';
import type { Filter } from '../document-store.port.js';
import type { ProjectAccessDocument } from '../documents.js';
import { usersOf } from './access-paths.js';
import {
  projectAccessDocument,
  storedProjectAccessDocuments,
} from './project-access.projection.js';

/*
 * The project_access rows nobody stores (ADR 22). Org admins and a workspace's editors and
 * admins see every project of it (R22, R28); storing a row for each of them on each project
 * made a promotion to full_access rewrite one row per project of the organization. Their rows
 * are computed when read instead, from the organization's state, by the same function as a
 * stored row (projectAccessDocument: the engine's projectGrants) — so a row reads the same
 * whichever way it came. A member who also holds a role on the project itself has a stored row
 * as well, the same answer; the reads list it once (ProjectAccessReads).
 */

/**
 * The users who may see a workspace's projects by their workspace or org role alone: org
 * admins, and the users of its editor and admin principals. A superset: the engine answers each.
 */
function workspaceWideAudience(state: OrganizationState, workspaceId: string): string[] {
  const userIds = new Set<string>(state.activeFullAccess);
  for (const { principal, role } of state.workspaces.get(workspaceId)?.principals.values() ?? []) {
    if (!workspaceRoleAtLeast(role, 'editor')) continue;
    for (const userId of usersOf(state, principal)) userIds.add(userId);
  }
  return [...userIds].sort();
}

/** The live projects a filter can match, in `_id` order of their rows. */
function projectsMatching(state: OrganizationState, filter: Filter): ProjectState[] {
  let projects: Iterable<ProjectState | undefined>;
  if (typeof filter.projectId === 'string') {
    projects = [state.projects.get(filter.projectId)];
  } else if (typeof filter.workspaceId === 'string') {
    const ids = state.workspaces.get(filter.workspaceId)?.projectIds ?? [];
    projects = [...ids].map((id) => state.projects.get(id));
  } else {
    projects = state.projects.values();
  }
  const live: ProjectState[] = [];
  for (const project of projects) if (project?.live) live.push(project);
  // Row ids are `<org>:<projectId>:<userId>` and ids hold no colon, so rows sort by
  // `<projectId>:` first, then by user id.
  const key = (project: ProjectState) => `${project.projectId}:`;
  return live.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}

/**
 * What the implied rows of one state cost to compute, kept for the next read of the same
 * state at the same position: each workspace's audience, each project's rows (all of them,
 * in `_id` order). A listing then filters them instead of asking the engine again per row.
 */
export interface ImpliedRowsMemo {
  audiences: Map<string, string[]>;
  rows: Map<string, ProjectAccessDocument[]>;
}

export const newImpliedRowsMemo = (): ImpliedRowsMemo => ({
  audiences: new Map(),
  rows: new Map(),
});

const matches = (row: ProjectAccessDocument, filter: Filter): boolean =>
  Object.entries(filter).every(
    ([field, value]) => (row as unknown as Record<string, unknown>)[field] === value,
  );

/**
 * The implied rows matching `filter` (equality on the row's fields, as DocumentStore.find), in
 * `_id` order, those after `after` only. Lazy: a page of a listing computes the rows it shows,
 * and an export holds one at a time.
 */
export function* impliedProjectAccessRows(
  state: OrganizationState,
  filter: Filter,
  after?: string,
  memo?: ImpliedRowsMemo,
): Generator<ProjectAccessDocument> {
  const organizationId = state.organizationId;
  if (!state.exists || filter.organizationId !== organizationId) return;
  const audiences = memo?.audiences ?? new Map<string, string[]>();
  for (const project of projectsMatching(state, filter)) {
    const prefix = `${organizationId}:${project.projectId}:`;
    // Every row of this project sorts before `after`: skip the project whole.
    if (after !== undefined && after > prefix && !after.startsWith(prefix)) continue;
    let audience = audiences.get(project.workspaceId);
    if (!audience) {
      audience = workspaceWideAudience(state, project.workspaceId);
      audiences.set(project.workspaceId, audience);
    }
    const rows = memo?.rows.get(project.projectId);
    if (memo && !rows && typeof filter.userId !== 'string') {
      // A listing of the project: its rows computed whole, once for this state and position.
      const all: ProjectAccessDocument[] = [];
      for (const userId of audience) {
        const row = projectAccessDocument(state, project, userId);
        if (row) all.push(row);
      }
      memo.rows.set(project.projectId, all);
    }
    const known = memo?.rows.get(project.projectId);
    if (known) {
      for (const row of known) {
        if (typeof filter.userId === 'string' && row.userId !== filter.userId) continue;
        if (after !== undefined && row._id <= after) continue;
        if (matches(row, filter)) yield row;
      }
      continue;
    }
    for (const userId of audience) {
      if (typeof filter.userId === 'string' && userId !== filter.userId) continue;
      if (after !== undefined && prefix + userId <= after) continue;
      const row = projectAccessDocument(state, project, userId);
      if (row && matches(row, filter)) yield row;
    }
  }
}

/**
 * Merges rows sorted by `_id` with implied rows sorted the same way: one list in `_id` order,
 * a row both have listed once (the stored one).
 */
export function* mergeRows<T extends { _id: string }>(
  stored: Iterable<T>,
  implied: Iterable<T>,
): Generator<T> {
  const more = implied[Symbol.iterator]();
  let next = more.next();
  for (const row of stored) {
    while (!next.done && next.value._id < row._id) {
      yield next.value;
      next = more.next();
    }
    if (!next.done && next.value._id === row._id) next = more.next();
    yield row;
  }
  for (; !next.done; next = more.next()) yield next.value;
}

/**
 * Every row a read serves, stored and implied, in `_id` order, computed from the state alone:
 * what the reads of project_access must answer (the specs' oracle, R28, R30).
 */
export function projectAccessRows(state: OrganizationState): ProjectAccessDocument[] {
  const stored = storedProjectAccessDocuments(state).sort((a, b) =>
    a._id < b._id ? -1 : a._id > b._id ? 1 : 0,
  );
  const implied = impliedProjectAccessRows(state, { organizationId: state.organizationId });
  return [...mergeRows(stored, implied)];
}
