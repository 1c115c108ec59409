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

/** A scope of one workspace or project: its value is the role, asked by itemAccess. */
export type ItemScope = Extract<AccessScope, { kind: 'workspace' | 'project' }>;

export const isItemScope = (scope: AccessScope): scope is ItemScope =>
  scope.kind === 'workspace' || scope.kind === 'project';

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
  if (scope.kind === 'all' || scope.kind === 'permissions') {
    for (const permission of candidatePermissions(graph, subject)) {
      if (check(graph, subject, { kind: 'permission', permission }, { now }).allowed) {
        held.set(permissionItem(permission), HELD);
      }
    }
  }
  if (isItemScope(scope)) {
    const role = itemAccess(graph, subject, scope);
    if (role !== undefined) held.set(scopeItem(scope), role);
    return held;
  }
  // API keys hold permissions, not workspace or project roles (R15).
  if (scope.kind === 'permissions' || subject.type === 'api_key') return held;
  if (!graph.members.has(subject.id)) return held;
  for (const workspaceId of graph.workspaces.keys()) {
    const role = itemAccess(graph, subject, { kind: 'workspace', workspaceId });
    if (role !== undefined) held.set(workspaceItem(workspaceId), role);
  }
  for (const projectId of graph.projects.keys()) {
    const role = itemAccess(graph, subject, { kind: 'project', projectId });
    if (role !== undefined) held.set(projectItem(projectId), role);
  }
  return held;
}

/** The item a one-item scope is about. */
export const scopeItem = (scope: ItemScope): AccessItem =>
  scope.kind === 'workspace' ? workspaceItem(scope.workspaceId) : projectItem(scope.projectId);

/**
 * The subject's role on one workspace or live project, or undefined for none: effectiveAccess
 * of a one-item scope without building a map, for callers that ask millions of them (R39 over
 * a long window). No time: only members hold roles, and they do not expire.
 */
export function itemAccess(
  graph: AccessGraph,
  subject: Subject,
  scope: ItemScope,
): string | undefined {
  // API keys hold permissions, not workspace or project roles (R15).
  if (subject.type === 'api_key' || !graph.members.has(subject.id)) return undefined;
  if (scope.kind === 'workspace') {
    // `role` is the membership, direct or through a group; org admins are allowed without one.
    const { workspaceId } = scope;
    return check(graph, subject, { kind: 'workspace', workspaceId, action: 'view' }).role;
  }
  const { projectId } = scope;
  return check(graph, subject, { kind: 'project', projectId, action: 'view' }).role;
}

/** The permissions a subject could hold: its role's, or its key's snapshot (R13, R15). */
function candidatePermissions(graph: AccessGraph, subject: Subject): readonly string[] {
  if (subject.type === 'api_key') return graph.apiKeys.get(subject.id)?.snapshot.permissions ?? [];
  const member = graph.members.get(subject.id);
  return member ? rolePermissions(graph, member.roleId) : [];
}
