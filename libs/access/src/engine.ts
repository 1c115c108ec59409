import type { AccessGraph, AccessMember, AccessProject, AccessWorkspace } from './graph.js';
import { isBuiltInRole, isKeyLive, isOrgAdmin, keyGrants, roleGrants } from './permissions.js';
import { principalKey } from './principal.js';
import { Edge, type EventRef, type Provenance } from './provenance.js';
import {
  higherRole,
  PROJECT_ROLES,
  projectRoleAtLeast,
  WORKSPACE_ROLES,
  workspaceRoleAtLeast,
  type ProjectRole,
  type WorkspaceRole,
} from './roles.js';
import {
  PROJECT_ACTION_ROLE,
  WORKSPACE_ACTION_ROLE,
  type AccessQuery,
  type Subject,
} from './vocabulary.js';

/*
 * The one access engine (R31), in the spirit of OpenFGA's single ResolveCheck: every question
 * "may this subject do that" — a permission, a workspace, project or dashboard action — is
 * answered by walking the paths of the access graph that could grant it. `check` records no
 * path (a handful of map lookups, nothing allocated but its answer); `explain` records every
 * one and names, for each edge, the event that set it. Both run the same enumerations below,
 * so the answer and its explanation cannot disagree. The deciders, the projections and the
 * query side ask here; project checks have a faster path still (project-cells.ts).
 */

export interface Decision {
  allowed: boolean;
  /** The effective workspace or project role, where the question has one (R22, R28). */
  role?: WorkspaceRole | ProjectRole;
}

/** How a path grants: a role's permission, a direct grant, a group, a workspace role, … */
export type PathKind =
  | 'role'
  | 'api_key'
  | 'direct'
  | 'group'
  | 'ownership'
  | 'workspace_role'
  | 'org_admin'
  | 'creator';

export interface ExplainedEdge {
  /** Graph nodes: `user:<id>`, `group:<id>`, `role:<id>`, `workspace:<id>`, `catalog`, … */
  from: string;
  relation: string;
  to: string;
  /** The event that set this edge; null only for a history older than provenance. */
  event: EventRef | null;
}

export interface AccessPath {
  via: PathKind;
  /** What the path grants: a permission, a role, or `manager` (R25-R27). */
  grants: string;
  edges: ExplainedEdge[];
}

export interface Explanation extends Decision {
  paths: AccessPath[];
  /** Why nothing grants it, when the subject itself holds nothing (not active, revoked, …). */
  reason?: string;
}

export interface AskOptions {
  /** ISO-8601 instant of the question: API keys expire (R15); without it a key holds nothing. */
  now?: string;
}

/** R31 without explain: allowed or not, and the effective role where one applies. */
export function check(
  graph: AccessGraph,
  subject: Subject,
  query: AccessQuery,
  options: AskOptions = {},
): Decision {
  const answer = resolve(graph, subject, query, options, undefined);
  return answer.role === undefined
    ? { allowed: answer.allowed }
    : { allowed: answer.allowed, role: answer.role };
}

/** R31 with explain: every path that grants the query, each edge with its event. */
export function explain(
  graph: AccessGraph,
  provenance: Provenance,
  subject: Subject,
  query: AccessQuery,
  options: AskOptions,
): Explanation {
  const paths: AccessPath[] = [];
  const answer = resolve(graph, subject, query, options, { provenance, paths });
  return { ...answer, paths };
}

interface Collecting {
  /** Without it the edges name no event: the user-project rows need the paths only. */
  provenance?: Provenance;
  paths: AccessPath[];
}

interface Answer extends Decision {
  reason?: string;
}

function resolve(
  graph: AccessGraph,
  subject: Subject,
  query: AccessQuery,
  options: AskOptions,
  collect: Collecting | undefined,
): Answer {
  if (subject.type === 'api_key') return resolveKey(graph, subject.id, query, options, collect);
  const member = graph.members.get(subject.id);
  if (!member) return { allowed: false, reason: 'not a member of this organization' };
  // The graph's roles are structural; only an active member may use them (R9, R8).
  if (member.status !== 'active') return { allowed: false, reason: `member is ${member.status}` };
  const walk = new Walk(graph, member, collect);
  switch (query.kind) {
    case 'permission':
      return walk.permission(query.permission);
    case 'workspace':
      return walk.workspace(query.workspaceId, WORKSPACE_ACTION_ROLE[query.action]);
    case 'project': {
      const project = liveProject(graph, query.projectId);
      if (!project) return { allowed: false, reason: 'no such live project' };
      return walk.project(project, PROJECT_ACTION_ROLE[query.action]);
    }
    case 'dashboard':
      return walk.dashboard(query.dashboardId, query.action, query.projectId);
  }
}

/** R15: a key holds its live snapshot ∩ catalog, and no workspace or project role. */
function resolveKey(
  graph: AccessGraph,
  keyId: string,
  query: AccessQuery,
  { now = '' }: AskOptions,
  collect: Collecting | undefined,
): Answer {
  const key = graph.apiKeys.get(keyId);
  if (!key) return { allowed: false, reason: 'no such API key' };
  if (query.kind !== 'permission') {
    return { allowed: false, reason: 'API keys hold permissions, not workspace or project roles' };
  }
  const { permission } = query;
  if (!keyGrants(graph, key, permission, now)) {
    if (isKeyLive(key, now)) return { allowed: false };
    return {
      allowed: false,
      reason: key.status === 'revoked' ? 'key is revoked' : 'key is expired',
    };
  }
  if (collect) {
    const { provenance } = collect;
    collect.paths.push({
      via: 'api_key',
      grants: permission,
      edges: [
        edge(
          `api_key:${keyId}`,
          'snapshot_holds',
          `permission:${permission}`,
          provenance?.of(Edge.apiKey(keyId)) ?? null,
        ),
        edge(
          'catalog',
          'includes',
          `permission:${permission}`,
          provenance?.of(Edge.catalog(permission)) ?? null,
        ),
      ],
    });
  }
  return { allowed: true };
}

const edge = (
  from: string,
  relation: string,
  to: string,
  event: EventRef | null,
): ExplainedEdge => ({
  from,
  relation,
  to,
  event,
});

function liveProject(graph: AccessGraph, projectId: string): AccessProject | undefined {
  const project = graph.projects.get(projectId);
  return project?.live ? project : undefined;
}

/**
 * R28, R30: the role a member holds on a live project and every path that grants it, whatever
 * the member's status (the user-project rows list invited and deactivated members beside
 * their status); undefined for no access. What `check` answers for an active member.
 */
export function projectGrants(
  graph: AccessGraph,
  userId: string,
  projectId: string,
): { role: ProjectRole; manager: boolean; paths: AccessPath[] } | undefined {
  const member = graph.members.get(userId);
  const project = liveProject(graph, projectId);
  if (!member || !project) return undefined;
  const paths: AccessPath[] = [];
  const walk = new Walk(graph, member, { paths });
  const { role } = walk.project(project, 'viewer');
  if (role === undefined) return undefined;
  // Managing is asked apart: its paths are not all of `view`'s (a member is not a manager).
  const { allowed: manager } = new Walk(graph, member, undefined).project(project, 'manager');
  return { role: role as ProjectRole, manager, paths };
}

/**
 * R22, R28: what a member holds on every live project of a workspace by their workspace role
 * and org role alone — `viewer` for its editors and admins and for org admins, managing for
 * the last two — whatever the member's status, as projectGrants; undefined for nothing. A
 * member's role on a project where they hold no role of their own is this (ADR 22).
 */
export function workspaceWideProjectGrants(
  graph: AccessGraph,
  userId: string,
  workspaceId: string,
): { role: ProjectRole; manager: boolean } | undefined {
  const member = graph.members.get(userId);
  if (!member) return undefined;
  const wide = new Walk(graph, member, undefined).workspaceWide(
    workspaceId,
    'project:viewer',
    'viewer',
  );
  return wide & WIDE_VIEWER ? { role: 'viewer', manager: (wide & WIDE_MANAGER) !== 0 } : undefined;
}

/** R20, R21: a member's role in a workspace, direct or through groups, and every such grant. */
export function workspaceGrants(
  graph: AccessGraph,
  userId: string,
  workspaceId: string,
): { role: WorkspaceRole; paths: AccessPath[] } | undefined {
  const member = graph.members.get(userId);
  if (!member || !graph.workspaces.has(workspaceId)) return undefined;
  const paths: AccessPath[] = [];
  const { role } = new Walk(graph, member, { paths }).workspace(workspaceId, 'member', false);
  return role === undefined ? undefined : { role: role as WorkspaceRole, paths };
}

const NO_GROUPS: ReadonlySet<string> = new Set();

/** Walk.workspaceWide's answer: viewer on the workspace's projects, and managing them. */
const WIDE_VIEWER = 1;
const WIDE_MANAGER = 2;

/**
 * One member's walk of the graph. Every grant is visited; a path is recorded only when
 * explaining (`collect`), so `check` allocates no path and reads only a handful of map entries.
 */
class Walk {
  /** Also the member's principal key. */
  private readonly node: string;

  constructor(
    private readonly graph: AccessGraph,
    private readonly member: AccessMember,
    private readonly collect: Collecting | undefined,
  ) {
    this.node = `user:${member.userId}`;
  }

  private get groups(): ReadonlySet<string> {
    return this.graph.groupsByUser.get(this.member.userId) ?? NO_GROUPS;
  }

  private ref(edgeName: string): EventRef | null {
    return this.collect?.provenance?.of(edgeName) ?? null;
  }

  private add(via: PathKind, grants: string, edges: () => ExplainedEdge[]): void {
    this.collect?.paths.push({ via, grants, edges: edges() });
  }

  /** user -has_role-> role: the member's one org role (R7). */
  private roleEdge(): ExplainedEdge {
    return edge(
      this.node,
      'has_role',
      `role:${this.member.roleId}`,
      this.ref(Edge.memberRole(this.member.userId)),
    );
  }

  private groupEdge(groupId: string): ExplainedEdge {
    return edge(
      this.node,
      'member_of',
      `group:${groupId}`,
      this.ref(Edge.groupMember(groupId, this.member.userId)),
    );
  }

  /** Whether the member is an org admin, recording that path when explaining. */
  private orgAdmin(grants: string, grantsHere = true): boolean {
    if (!isOrgAdmin(this.graph, this.member.userId)) return false;
    if (grantsHere) this.add('org_admin', grants, () => [this.roleEdge()]);
    return true;
  }

  permission(permission: string): Answer {
    const { roleId } = this.member;
    if (!roleGrants(this.graph, roleId, permission)) return { allowed: false };
    this.add('role', permission, () => [
      this.roleEdge(),
      edge(
        `role:${roleId}`,
        'grants',
        `permission:${permission}`,
        // Built-in roles grant what the catalog holds (R2); a custom role what it was given.
        this.ref(isBuiltInRole(roleId) ? Edge.catalog(permission) : Edge.role(roleId)),
      ),
      edge('catalog', 'includes', `permission:${permission}`, this.ref(Edge.catalog(permission))),
    ]);
    return { allowed: true };
  }

  /**
   * Visits the member's grants in a workspace, direct and through each group, and answers the
   * highest of them (R20, R21); undefined when they hold none.
   */
  private workspaceGrants(
    workspace: AccessWorkspace,
    visit: (role: WorkspaceRole, via: PathKind, edges: () => ExplainedEdge[]) => void,
  ): WorkspaceRole | undefined {
    const { workspaceId } = workspace;
    const to = `workspace:${workspaceId}`;
    const direct = workspace.principals.get(this.node);
    let role = direct?.role;
    if (direct) {
      visit(direct.role, 'direct', () => [
        edge(
          this.node,
          direct.role,
          to,
          this.ref(Edge.workspaceGrant(workspaceId, direct.principal)),
        ),
      ]);
    }
    for (const groupId of this.groups) {
      const held = workspace.principals.get(`group:${groupId}`);
      if (!held) continue;
      role = higherRole(WORKSPACE_ROLES, role, held.role);
      visit(held.role, 'group', () => [
        this.groupEdge(groupId),
        edge(
          `group:${groupId}`,
          held.role,
          to,
          this.ref(Edge.workspaceGrant(workspaceId, held.principal)),
        ),
      ]);
    }
    return role;
  }

  /**
   * R20-R22: the highest of the direct and group roles meets `minimum`, or an org admin
   * (asked unless `orgAdmins` is false: a membership, not a permission).
   */
  workspace(workspaceId: string, minimum: WorkspaceRole, orgAdmins = true): Answer {
    const workspace = this.graph.workspaces.get(workspaceId);
    if (!workspace) return { allowed: false, reason: 'no such workspace' };
    const grants = `workspace:${minimum}`;
    const role = this.workspaceGrants(workspace, (held, via, edges) => {
      if (workspaceRoleAtLeast(held, minimum)) this.add(via, grants, edges);
    });
    const orgAdmin = orgAdmins && this.orgAdmin(grants);
    return answer(workspaceRoleAtLeast(role, minimum) || orgAdmin, role);
  }

  /**
   * R25-R28: the effective project role (the highest of ownership, the direct and group roles,
   * and `viewer` for workspace editors and admins and org admins), and whether the member
   * manages the project (its owner, a workspace admin, an org admin).
   */
  project(project: AccessProject, needs: ProjectRole | 'manager'): Answer {
    const { projectId, owner, members } = project;
    const to = `project:${projectId}`;
    const grants = needs === 'manager' ? 'manager' : `project:${needs}`;
    const meets = (held: ProjectRole) => needs !== 'manager' && projectRoleAtLeast(held, needs);
    let role: ProjectRole | undefined;
    let manager = false;

    const ownerEdge = () =>
      edge(principalKey(owner), 'owns', to, this.ref(Edge.projectOwner(projectId)));
    if (owner.type === 'user' ? owner.id === this.member.userId : this.groups.has(owner.id)) {
      role = 'owner';
      manager = true;
      this.add('ownership', grants, () =>
        owner.type === 'user' ? [ownerEdge()] : [this.groupEdge(owner.id), ownerEdge()],
      );
    }
    if (members.size > 0) {
      const direct = members.get(this.node);
      if (direct) {
        role = higherRole(PROJECT_ROLES, role, direct.role);
        if (meets(direct.role)) {
          this.add('direct', grants, () => [
            edge(
              this.node,
              direct.role,
              to,
              this.ref(Edge.projectGrant(projectId, direct.principal)),
            ),
          ]);
        }
      }
      for (const groupId of this.groups) {
        const held = members.get(`group:${groupId}`);
        if (!held) continue;
        role = higherRole(PROJECT_ROLES, role, held.role);
        if (meets(held.role)) {
          this.add('group', grants, () => [
            this.groupEdge(groupId),
            edge(
              `group:${groupId}`,
              held.role,
              to,
              this.ref(Edge.projectGrant(projectId, held.principal)),
            ),
          ]);
        }
      }
    }
    const wide = this.workspaceWide(project.workspaceId, grants, needs);
    if (wide & WIDE_VIEWER) role = higherRole(PROJECT_ROLES, role, 'viewer');
    if (wide & WIDE_MANAGER) manager = true;
    return answer(needs === 'manager' ? manager : role !== undefined && meets(role), role);
  }

  /**
   * R22, R28: what the member holds on every live project of a workspace whatever they hold on
   * the project itself — `viewer` for workspace editors and admins and for org admins, and
   * managing for the last two — recording those paths when they grant `needs`. Answers bits
   * (WIDE_VIEWER, WIDE_MANAGER) so that a check allocates nothing here.
   */
  workspaceWide(workspaceId: string, grants: string, needs: ProjectRole | 'manager'): number {
    const viewerMeets = needs !== 'manager' && projectRoleAtLeast('viewer', needs);
    let wide = 0;
    const workspace = this.graph.workspaces.get(workspaceId);
    if (workspace) {
      this.workspaceGrants(workspace, (held, _via, edges) => {
        if (!workspaceRoleAtLeast(held, 'editor')) return;
        wide |= held === 'admin' ? WIDE_VIEWER | WIDE_MANAGER : WIDE_VIEWER;
        if (needs === 'manager' ? held === 'admin' : viewerMeets) {
          this.add('workspace_role', grants, edges);
        }
      });
    }
    if (this.orgAdmin(grants, needs === 'manager' || viewerMeets)) {
      wide |= WIDE_VIEWER | WIDE_MANAGER;
    }
    return wide;
  }

  /** R29: workspace members see its dashboards; creators, workspace admins, org admins delete them. */
  dashboard(
    dashboardId: string,
    action: 'view' | 'delete' | 'view_data',
    projectId: string | undefined,
  ): Answer {
    const dashboard = this.graph.dashboards.get(dashboardId);
    if (!dashboard) return { allowed: false, reason: 'no such dashboard' };
    if (action === 'view') return this.workspace(dashboard.workspaceId, 'member');
    if (action === 'delete') {
      const creator = dashboard.createdBy === this.member.userId;
      if (creator) {
        this.add('creator', 'manager', () => [
          edge(
            this.node,
            'created',
            `dashboard:${dashboardId}`,
            this.ref(Edge.dashboard(dashboardId)),
          ),
        ]);
      }
      const admin = this.workspace(dashboard.workspaceId, 'admin').allowed;
      return { allowed: creator || admin };
    }
    // view_data: its data is served only for the projects it reads that the reader views.
    if (projectId === undefined || !dashboard.projectIds.includes(projectId)) {
      return { allowed: false, reason: 'the dashboard does not read that project' };
    }
    const sees = new Walk(this.graph, this.member, undefined).workspace(
      dashboard.workspaceId,
      'member',
    );
    if (!sees.allowed)
      return { allowed: false, reason: 'the dashboard is not visible to this member' };
    const project = liveProject(this.graph, projectId);
    if (!project) return { allowed: false, reason: 'no such live project' };
    return this.project(project, 'viewer');
  }
}

function answer(allowed: boolean, role: WorkspaceRole | ProjectRole | undefined): Answer {
  return role === undefined ? { allowed } : { allowed, role };
}
