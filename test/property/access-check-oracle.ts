import type { RecordedEvent } from '#libs/event-store';

/*
 * A brute-force reading of R20-R31 over the raw stored events, for the property test of the
 * access engine. It shares no code with libs/access, libs/domain's access helpers or the
 * projections: it folds the events into plain facts, each remembering the event that last set
 * it, and answers every question by looking at all of them. Where it and the engine disagree,
 * one of them misreads the rules (docs/rules.md).
 */

type WorkspaceRole = 'member' | 'user' | 'editor' | 'admin';
type ProjectRole = 'viewer' | 'user' | 'owner';
const WORKSPACE_ORDER: readonly WorkspaceRole[] = ['member', 'user', 'editor', 'admin'];
const PROJECT_ORDER: readonly ProjectRole[] = ['viewer', 'user', 'owner'];
const ADMIN_PREFIX = 'truora.';

interface Held<Role> {
  role: Role;
  setBy: RecordedEvent;
}

export interface Facts {
  /** permission -> the event that (last) put it in the catalog. */
  catalog: Map<string, RecordedEvent>;
  roles: Map<string, { name: string; permissions: Set<string>; setBy: RecordedEvent }>;
  members: Map<
    string,
    {
      email: string;
      roleId: string;
      status: 'invited' | 'active' | 'deactivated';
      everActive: boolean;
      roleSetBy: RecordedEvent;
    }
  >;
  keys: Map<
    string,
    {
      permissions: readonly string[];
      revoked: boolean;
      expiresAt: string | null;
      issuedBy: RecordedEvent;
    }
  >;
  /** groupId -> name and userId -> the event that joined them. */
  groups: Map<string, { name: string; members: Map<string, RecordedEvent> }>;
  /** workspaceId -> name and principal key (`user:<id>`, `group:<id>`) -> role. */
  workspaces: Map<string, { name: string; principals: Map<string, Held<WorkspaceRole>> }>;
  /** Live projects only. */
  projects: Map<
    string,
    {
      workspaceId: string;
      name: string;
      owner: string;
      ownerSetBy: RecordedEvent;
      members: Map<string, Held<'viewer' | 'user'>>;
    }
  >;
  dashboards: Map<
    string,
    { workspaceId: string; projectIds: readonly string[]; createdBy: string; setBy: RecordedEvent }
  >;
}

interface Payload {
  catalog: string[];
  permissions: string[];
  firstMember: { userId: string; email: string };
  userId: string;
  userIds: string[];
  email: string;
  roleId: string;
  name: string;
  keyId: string;
  snapshot: { permissions: string[] };
  expiresAt: string | null;
  groupId: string;
  joined: string[];
  left: string[];
  workspaceId: string;
  projectId: string;
  dashboardId: string;
  projectIds: string[];
  createdBy: string;
  role: string;
  principal: { type: string; id: string };
  principals: { type: string; id: string }[];
  owner: { type: string; id: string };
  from: { type: string; id: string };
  to: { type: string; id: string };
}

const keyOf = (p: { type: string; id: string }) => `${p.type}:${p.id}`;

export function foldFacts(events: readonly RecordedEvent[]): Facts {
  const facts: Facts = {
    catalog: new Map(),
    roles: new Map(),
    members: new Map(),
    keys: new Map(),
    groups: new Map(),
    workspaces: new Map(),
    projects: new Map(),
    dashboards: new Map(),
  };
  /** A principal leaving the organization or deleted holds nothing anywhere (R11, R19). */
  const dropPrincipal = (principalKey: string) => {
    for (const workspace of facts.workspaces.values()) workspace.principals.delete(principalKey);
    for (const project of facts.projects.values()) project.members.delete(principalKey);
  };
  for (const event of events) {
    const d = event.data as unknown as Payload;
    switch (event.type) {
      case 'OrganizationCreated':
        for (const p of d.catalog) facts.catalog.set(p, event);
        facts.members.set(d.firstMember.userId, {
          email: d.firstMember.email,
          roleId: 'full_access',
          status: 'active',
          everActive: true,
          roleSetBy: event,
        });
        break;
      case 'CatalogPermissionsAdded':
        for (const p of d.permissions) facts.catalog.set(p, event);
        break;
      case 'CatalogPermissionsRemoved':
        for (const p of d.permissions) facts.catalog.delete(p);
        break;
      case 'RoleCreated':
      case 'RoleUpdated':
        facts.roles.set(d.roleId, {
          name: d.name,
          permissions: new Set(d.permissions),
          setBy: event,
        });
        break;
      case 'RoleDeleted':
        facts.roles.delete(d.roleId);
        break;
      case 'MemberInvited':
        facts.members.set(d.userId, {
          email: d.email,
          roleId: d.roleId,
          status: 'invited',
          everActive: false,
          roleSetBy: event,
        });
        break;
      case 'MemberActivated': {
        const member = facts.members.get(d.userId);
        if (member) Object.assign(member, { status: 'active', everActive: true });
        break;
      }
      case 'MemberDeactivated': {
        const member = facts.members.get(d.userId);
        if (member) member.status = 'deactivated';
        break;
      }
      case 'MemberReactivated': {
        // An invitee deactivated before their first sign-in is still to sign in (R9).
        const member = facts.members.get(d.userId);
        if (member) member.status = member.everActive ? 'active' : 'invited';
        break;
      }
      case 'MemberRoleChanged': {
        const member = facts.members.get(d.userId);
        if (member) Object.assign(member, { roleId: d.roleId, roleSetBy: event });
        break;
      }
      case 'MemberRemoved':
        facts.members.delete(d.userId);
        for (const group of facts.groups.values()) group.members.delete(d.userId);
        dropPrincipal(`user:${d.userId}`);
        break;
      case 'ApiKeyIssued':
        facts.keys.set(d.keyId, {
          permissions: d.snapshot.permissions,
          revoked: false,
          expiresAt: d.expiresAt,
          issuedBy: event,
        });
        break;
      case 'ApiKeyRevoked': {
        const key = facts.keys.get(d.keyId);
        if (key) key.revoked = true;
        break;
      }
      case 'GroupCreated':
      case 'DirectoryGroupLinked':
        facts.groups.set(d.groupId, { name: d.name, members: new Map() });
        break;
      case 'GroupRenamed': {
        const group = facts.groups.get(d.groupId);
        if (group) group.name = d.name;
        break;
      }
      case 'GroupDeleted':
        facts.groups.delete(d.groupId);
        dropPrincipal(`group:${d.groupId}`);
        break;
      case 'GroupMembersAdded':
        for (const userId of d.userIds) facts.groups.get(d.groupId)?.members.set(userId, event);
        break;
      case 'GroupMemberRemoved':
        facts.groups.get(d.groupId)?.members.delete(d.userId);
        break;
      case 'DirectoryMembershipSynced':
        for (const groupId of d.joined) facts.groups.get(groupId)?.members.set(d.userId, event);
        for (const groupId of d.left) facts.groups.get(groupId)?.members.delete(d.userId);
        break;
      case 'WorkspaceCreated':
        facts.workspaces.set(d.workspaceId, { name: d.name, principals: new Map() });
        break;
      case 'WorkspaceRenamed': {
        const workspace = facts.workspaces.get(d.workspaceId);
        if (workspace) workspace.name = d.name;
        break;
      }
      case 'WorkspacePrincipalAdded':
      case 'WorkspacePrincipalRoleChanged':
        facts.workspaces
          .get(d.workspaceId)
          ?.principals.set(keyOf(d.principal), { role: d.role as WorkspaceRole, setBy: event });
        break;
      case 'WorkspacePrincipalRemoved':
        facts.workspaces.get(d.workspaceId)?.principals.delete(keyOf(d.principal));
        break;
      case 'ProjectCreated':
        facts.projects.set(d.projectId, {
          workspaceId: d.workspaceId,
          name: d.name,
          owner: keyOf(d.owner),
          ownerSetBy: event,
          members: new Map(),
        });
        break;
      case 'ProjectMemberAdded':
      case 'ProjectMemberRoleChanged':
        facts.projects
          .get(d.projectId)
          ?.members.set(keyOf(d.principal), { role: d.role as 'viewer' | 'user', setBy: event });
        break;
      case 'ProjectMembersRemoved':
        for (const principal of d.principals) {
          facts.projects.get(d.projectId)?.members.delete(keyOf(principal));
        }
        break;
      case 'OwnershipTransferred': {
        // R25: the new owner leaves the members, the previous owner joins them as `user`.
        const project = facts.projects.get(d.projectId);
        if (!project) break;
        project.members.delete(keyOf(d.to));
        project.owner = keyOf(d.to);
        project.ownerSetBy = event;
        project.members.set(keyOf(d.from), { role: 'user', setBy: event });
        break;
      }
      case 'ProjectDeleted':
        facts.projects.delete(d.projectId);
        break;
      case 'DashboardCreated':
        facts.dashboards.set(d.dashboardId, {
          workspaceId: d.workspaceId,
          projectIds: d.projectIds,
          createdBy: d.createdBy,
          setBy: event,
        });
        break;
      case 'DashboardDeleted':
        facts.dashboards.delete(d.dashboardId);
        break;
    }
  }
  return facts;
}

/** What the oracle answers; the shape of the engine's Decision. */
export interface Expected {
  allowed: boolean;
  role?: string;
}

const higher = <R extends string>(order: readonly R[], a: R | undefined, b: R): R =>
  a === undefined || order.indexOf(b) > order.indexOf(a) ? b : a;

const answer = (allowed: boolean, role: string | undefined): Expected =>
  role === undefined ? { allowed } : { allowed, role };

export class AccessOracle {
  constructor(
    readonly facts: Facts,
    /** The instant questions are asked at: API keys expire (R15). */
    readonly now: string,
  ) {}

  groupsOf(userId: string): string[] {
    return [...this.facts.groups].filter(([, g]) => g.members.has(userId)).map(([id]) => id);
  }

  isActive(userId: string): boolean {
    return this.facts.members.get(userId)?.status === 'active';
  }

  /** An org admin is an active member whose role is full_access (docs/rules.md, Concepts). */
  isOrgAdmin(userId: string): boolean {
    const member = this.facts.members.get(userId);
    return member?.status === 'active' && member.roleId === 'full_access';
  }

  /** R2, R3, R4: what a role grants now. */
  roleGrants(roleId: string, permission: string): boolean {
    if (!this.facts.catalog.has(permission)) return false;
    if (roleId === 'full_access') return true;
    if (roleId === 'default_access') return !permission.startsWith(ADMIN_PREFIX);
    return this.facts.roles.get(roleId)?.permissions.has(permission) ?? false;
  }

  /** R15: a key is live while not revoked and `now` is strictly before its expiry. */
  keyLive(keyId: string): boolean {
    const key = this.facts.keys.get(keyId);
    if (!key || key.revoked) return false;
    return key.expiresAt === null || Date.parse(this.now) < Date.parse(key.expiresAt);
  }

  /** R20, R21: the highest of the member's direct and group roles in a workspace. */
  workspaceRole(userId: string, workspaceId: string): WorkspaceRole | undefined {
    const workspace = this.facts.workspaces.get(workspaceId);
    if (!workspace || !this.facts.members.has(userId)) return undefined;
    let role: WorkspaceRole | undefined;
    for (const key of [`user:${userId}`, ...this.groupsOf(userId).map((g) => `group:${g}`)]) {
      const held = workspace.principals.get(key);
      if (held) role = higher(WORKSPACE_ORDER, role, held.role);
    }
    return role;
  }

  /**
   * R28, structurally (whatever the member's status, as project_access rows are written): the
   * highest of ownership, the direct role, the groups' roles, and `viewer` for workspace
   * editors and admins and org admins (who are active by definition).
   */
  projectRole(userId: string, projectId: string): ProjectRole | undefined {
    const project = this.facts.projects.get(projectId);
    if (!project || !this.facts.members.has(userId)) return undefined;
    const keys = [`user:${userId}`, ...this.groupsOf(userId).map((g) => `group:${g}`)];
    let role: ProjectRole | undefined;
    if (keys.includes(project.owner)) role = 'owner';
    for (const key of keys) {
      const held = project.members.get(key);
      if (held) role = higher(PROJECT_ORDER, role, held.role);
    }
    const workspaceRole = this.workspaceRole(userId, project.workspaceId);
    if (workspaceRole === 'editor' || workspaceRole === 'admin') {
      role = higher(PROJECT_ORDER, role, 'viewer');
    }
    if (this.isOrgAdmin(userId)) role = higher(PROJECT_ORDER, role, 'viewer');
    return role;
  }

  /**
   * R30's `granted_via` values naming a path that gives exactly `role` (the CSV names one of
   * them): `direct`, `group:<name>`, `workspace:<role>`, `org_admin`.
   */
  pathsGiving(userId: string, projectId: string, role: ProjectRole): Set<string> {
    const vias = new Set<string>();
    const project = this.facts.projects.get(projectId);
    if (!project) return vias;
    const named = (key: string) =>
      key === `user:${userId}` ? 'direct' : `group:${this.facts.groups.get(key.slice(6))?.name}`;
    const keys = [`user:${userId}`, ...this.groupsOf(userId).map((g) => `group:${g}`)];
    for (const key of keys) {
      if (role === 'owner' && project.owner === key) vias.add(named(key));
      if (project.members.get(key)?.role === role) vias.add(named(key));
    }
    if (role === 'viewer') {
      const workspaceRole = this.workspaceRole(userId, project.workspaceId);
      if (workspaceRole === 'editor' || workspaceRole === 'admin') {
        vias.add(`workspace:${workspaceRole}`);
      }
      if (this.isOrgAdmin(userId)) vias.add('org_admin');
    }
    return vias;
  }

  /** R25-R27: the owner, a workspace admin, an org admin. */
  manages(userId: string, projectId: string): boolean {
    const project = this.facts.projects.get(projectId);
    if (!project) return false;
    return (
      this.projectRole(userId, projectId) === 'owner' ||
      this.workspaceRole(userId, project.workspaceId) === 'admin' ||
      this.isOrgAdmin(userId)
    );
  }

  permission(subject: OracleSubject, permission: string): Expected {
    if (subject.type === 'api_key') {
      const key = this.facts.keys.get(subject.id);
      return {
        allowed:
          key !== undefined &&
          this.keyLive(subject.id) &&
          this.facts.catalog.has(permission) &&
          key.permissions.includes(permission),
      };
    }
    const member = this.facts.members.get(subject.id);
    if (!member || member.status !== 'active') return { allowed: false };
    return { allowed: this.roleGrants(member.roleId, permission) };
  }

  /** R20, R22, R23: the least role each action takes; org admins take them all. */
  workspace(subject: OracleSubject, workspaceId: string, action: string): Expected {
    if (subject.type === 'api_key' || !this.isActive(subject.id)) return { allowed: false };
    if (!this.facts.workspaces.has(workspaceId)) return { allowed: false };
    const minimum = WORKSPACE_MINIMUM[action as 'view'];
    const role = this.workspaceRole(subject.id, workspaceId);
    const meets =
      role !== undefined && WORKSPACE_ORDER.indexOf(role) >= WORKSPACE_ORDER.indexOf(minimum);
    return answer(meets || this.isOrgAdmin(subject.id), role);
  }

  /** R25-R28: view and edit take a project role, the rest a manager. */
  project(subject: OracleSubject, projectId: string, action: string): Expected {
    if (subject.type === 'api_key' || !this.isActive(subject.id)) return { allowed: false };
    if (!this.facts.projects.has(projectId)) return { allowed: false };
    const role = this.projectRole(subject.id, projectId);
    const allowed =
      action === 'view'
        ? role !== undefined
        : action === 'edit'
          ? role === 'user' || role === 'owner'
          : this.manages(subject.id, projectId);
    return answer(allowed, role);
  }

  /** R29: workspace members see it; its creator and admins delete it; data per project. */
  dashboard(
    subject: OracleSubject,
    dashboardId: string,
    action: string,
    projectId?: string,
  ): Expected {
    if (subject.type === 'api_key' || !this.isActive(subject.id)) return { allowed: false };
    const dashboard = this.facts.dashboards.get(dashboardId);
    if (!dashboard) return { allowed: false };
    const sees = this.workspace(subject, dashboard.workspaceId, 'view');
    if (action === 'view') return sees;
    if (action === 'delete') {
      return {
        allowed:
          dashboard.createdBy === subject.id ||
          this.workspace(subject, dashboard.workspaceId, 'manage').allowed,
      };
    }
    if (projectId === undefined || !dashboard.projectIds.includes(projectId) || !sees.allowed) {
      return { allowed: false };
    }
    return this.project(subject, projectId, 'view');
  }
}

/**
 * R31 "with every path": the edge each granting path must end on, for a workspace or project
 * question of a member — the role held by the member or one of their groups, the ownership,
 * or the org admin's role — whatever the engine visits on the way.
 */
export function grantingEdges(
  oracle: AccessOracle,
  userId: string,
  query:
    | { kind: 'workspace'; workspaceId: string; action: string }
    | { kind: 'project'; projectId: string; action: string },
): Set<string> {
  const edges = new Set<string>();
  const { facts } = oracle;
  if (!oracle.isActive(userId)) return edges;
  const keys = [`user:${userId}`, ...oracle.groupsOf(userId).map((g) => `group:${g}`)];
  const orgAdmin = `user:${userId} -has_role-> role:full_access`;
  const atLeast = (role: WorkspaceRole, minimum: WorkspaceRole) =>
    WORKSPACE_ORDER.indexOf(role) >= WORKSPACE_ORDER.indexOf(minimum);
  const workspaceEdges = (workspaceId: string, minimum: WorkspaceRole) => {
    for (const key of keys) {
      const held = facts.workspaces.get(workspaceId)?.principals.get(key);
      if (held && atLeast(held.role, minimum)) {
        edges.add(`${key} -${held.role}-> workspace:${workspaceId}`);
      }
    }
  };
  if (query.kind === 'workspace') {
    if (!facts.workspaces.has(query.workspaceId)) return edges;
    workspaceEdges(query.workspaceId, WORKSPACE_MINIMUM[query.action as 'view']);
    if (oracle.isOrgAdmin(userId)) edges.add(orgAdmin);
    return edges;
  }
  const project = facts.projects.get(query.projectId);
  if (!project) return edges;
  const to = `project:${query.projectId}`;
  if (keys.includes(project.owner)) edges.add(`${project.owner} -owns-> ${to}`);
  if (query.action === 'view' || query.action === 'edit') {
    for (const key of keys) {
      const held = project.members.get(key);
      if (held && (query.action === 'view' || held.role === 'user')) {
        edges.add(`${key} -${held.role}-> ${to}`);
      }
    }
  }
  // Workspace editors and admins view (R28); admins manage (R22); org admins both.
  if (query.action === 'edit') return edges;
  workspaceEdges(project.workspaceId, query.action === 'view' ? 'editor' : 'admin');
  if (oracle.isOrgAdmin(userId)) edges.add(orgAdmin);
  return edges;
}

const WORKSPACE_MINIMUM = {
  view: 'member',
  create_project: 'user',
  view_all_projects: 'editor',
  manage: 'admin',
  view_usage: 'admin',
} as const;

export interface OracleSubject {
  type: 'user' | 'api_key';
  id: string;
}

/**
 * The edge an explanation names, read back against the facts: whether it holds now and the
 * event that last set it (R31). `undefined` for an edge the oracle does not know.
 */
export function edgeFact(
  facts: Facts,
  edge: { from: string; relation: string; to: string },
): { holds: boolean; setBy: RecordedEvent | undefined } | undefined {
  const [fromType, fromId] = split(edge.from);
  const [toType, toId] = split(edge.to);
  const none = { holds: false, setBy: undefined };
  switch (edge.relation) {
    case 'has_role': {
      const member = facts.members.get(fromId);
      if (fromType !== 'user' || toType !== 'role' || !member) return none;
      return { holds: member.roleId === toId, setBy: member.roleSetBy };
    }
    case 'grants': {
      if (fromType !== 'role' || toType !== 'permission') return none;
      // Built-in roles grant what the catalog holds (R2); a custom role what it was given.
      if (fromId === 'full_access' || fromId === 'default_access') {
        const setBy = facts.catalog.get(toId);
        const inNamespace = toId.startsWith(ADMIN_PREFIX);
        return { holds: setBy !== undefined && (fromId === 'full_access' || !inNamespace), setBy };
      }
      const role = facts.roles.get(fromId);
      return { holds: role?.permissions.has(toId) === true, setBy: role?.setBy };
    }
    case 'includes': {
      if (edge.from !== 'catalog' || toType !== 'permission') return none;
      const setBy = facts.catalog.get(toId);
      return { holds: setBy !== undefined, setBy };
    }
    case 'snapshot_holds': {
      const key = facts.keys.get(fromId);
      if (fromType !== 'api_key' || toType !== 'permission' || !key) return none;
      return { holds: key.permissions.includes(toId), setBy: key.issuedBy };
    }
    case 'member_of': {
      if (fromType !== 'user' || toType !== 'group') return none;
      const setBy = facts.groups.get(toId)?.members.get(fromId);
      return { holds: setBy !== undefined, setBy };
    }
    case 'owns': {
      const project = facts.projects.get(toId);
      if (toType !== 'project' || !project) return none;
      return { holds: project.owner === edge.from, setBy: project.ownerSetBy };
    }
    case 'created': {
      const dashboard = facts.dashboards.get(toId);
      if (fromType !== 'user' || toType !== 'dashboard' || !dashboard) return none;
      return { holds: dashboard.createdBy === fromId, setBy: dashboard.setBy };
    }
    default: {
      // A role held on a workspace or a project: `user:<id> -editor-> workspace:<id>`.
      if (
        toType === 'workspace' &&
        (WORKSPACE_ORDER as readonly string[]).includes(edge.relation)
      ) {
        const held = facts.workspaces.get(toId)?.principals.get(edge.from);
        return { holds: held?.role === edge.relation, setBy: held?.setBy };
      }
      if (toType === 'project' && (edge.relation === 'viewer' || edge.relation === 'user')) {
        const held = facts.projects.get(toId)?.members.get(edge.from);
        return { holds: held?.role === edge.relation, setBy: held?.setBy };
      }
      return undefined;
    }
  }
}

/** `type:id`, where the id may itself contain `:` (permissions do). */
function split(node: string): [string, string] {
  const at = node.indexOf(':');
  return at < 0 ? [node, ''] : [node.slice(0, at), node.slice(at + 1)];
}
