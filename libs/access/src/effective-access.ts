import { check } from './engine.js';
import type { AccessGraph } from './graph.js';
import { rolePermissions } from './permissions.js';
import type { Subject } from './vocabulary.js';

/*
 * R39: a subject's effective access as a flat map of items, so that two points of history can
 * be diffed item by item. Every value is the engine's own answer (`check`): the status of a
 * member, a key's liveness, built-in roles following the catalog, groups, workspace editors and
 * org admins viewing projects are all decided there, never restated here. The enumerations
 * below only say which questions to ask.
 */

/** `permission:<p>`, `workspace:<id>` or `project:<id>`. */
export type AccessItem = string;

/** The value of a held permission; roles are their own value (`viewer`, `admin`, …). */
export const HELD = 'held';

/** Which items to evaluate: all of a subject's, or one part of them. */
export type AccessScope =
  | { kind: 'all' }
  | { kind: 'permissions' }
  | { kind: 'workspace'; workspaceId: string }
  | { kind: 'project'; projectId: string };

export const permissionItem = (permission: string): AccessItem => `permission:${permission}`;
export const workspaceItem = (workspaceId: string): AccessItem => `workspace:${workspaceId}`;
export const projectItem = (projectId: string): AccessItem => `project:${projectId}`;

/**
 * The items of `scope` the subject holds at `now` (API keys expire, R15), each with its value:
 * HELD for a permission, the effective role for a workspace (direct or through groups, R20) or
 * a live project (R28). What the subject does not hold is absent.
 */
export function effectiveAccess(
  graph: AccessGraph,
  subject: Subject,
  scope: AccessScope,
  now: string,
): Map<AccessItem, string> {
  const held = new Map<AccessItem, string>();
  const wants = (kind: AccessScope['kind']) => scope.kind === 'all' || scope.kind === kind;
  if (wants('permissions')) {
    for (const permission of candidatePermissions(graph, subject)) {
      if (check(graph, subject, { kind: 'permission', permission }, { now }).allowed) {
        held.set(permissionItem(permission), HELD);
      }
    }
  }
  // API keys hold permissions, not workspace or project roles (R15).
  if (subject.type === 'api_key' || !graph.members.has(subject.id)) return held;
  const workspaceIds =
    scope.kind === 'workspace'
      ? [scope.workspaceId]
      : scope.kind === 'all'
        ? graph.workspaces.keys()
        : [];
  for (const workspaceId of workspaceIds) {
    // `role` is the membership, direct or through a group; org admins are allowed without one.
    const { role } = check(graph, subject, { kind: 'workspace', workspaceId, action: 'view' });
    if (role !== undefined) held.set(workspaceItem(workspaceId), role);
  }
  const projectIds =
    scope.kind === 'project'
      ? [scope.projectId]
      : scope.kind === 'all'
        ? graph.projects.keys()
        : [];
  for (const projectId of projectIds) {
    const { role } = check(graph, subject, { kind: 'project', projectId, action: 'view' });
    if (role !== undefined) held.set(projectItem(projectId), role);
  }
  return held;
}

/** The permissions a subject could hold: its role's, or its key's snapshot (R13, R15). */
function candidatePermissions(graph: AccessGraph, subject: Subject): readonly string[] {
  if (subject.type === 'api_key') return graph.apiKeys.get(subject.id)?.snapshot.permissions ?? [];
  const member = graph.members.get(subject.id);
  return member ? rolePermissions(graph, member.roleId) : [];
}
