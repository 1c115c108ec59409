import type { Principal } from '#libs/access';
import type { OrganizationState } from '#libs/domain';
import type { DataOf, EventType } from '#libs/messaging';

/**
 * What an entry may be built from (S2): the event's publishable data — the catalog's allow
 * list, so never a key's hash — typed as the domain's data without the withheld field.
 */
export type AuditData<T extends EventType> = Omit<DataOf<T>, 'secretHash'>;

/**
 * What the state forgets on removal, kept by the fold so that the cascades of a removal (and
 * anything later naming what was removed) still say whom they are about.
 */
export interface Departed {
  /** userId -> email. */
  members: Map<string, string>;
  /** groupId -> name. */
  groups: Map<string, string>;
  /** dashboardId -> name. */
  dashboards: Map<string, string>;
}

/** Names as the organization knew them just before the event (a removed member keeps their email). */
export class Names {
  constructor(
    readonly state: OrganizationState,
    private readonly departed: Departed,
  ) {}

  member(userId: string): string {
    return (
      this.state.members.get(userId)?.email ??
      this.departed.members.get(userId) ??
      `member ${userId}`
    );
  }

  /** Built-in roles (full_access, default_access) are named by their id, custom ones by name. */
  role(roleId: string): string {
    return this.state.roles.get(roleId)?.name ?? roleId;
  }

  group(groupId: string): string {
    const name = this.state.groups.get(groupId)?.name ?? this.departed.groups.get(groupId);
    return name === undefined ? `group ${groupId}` : `group ${quoted(name)}`;
  }

  principal(principal: Principal): string {
    return principal.type === 'user' ? this.member(principal.id) : this.group(principal.id);
  }

  workspace(workspaceId: string): string {
    const workspace = this.state.workspaces.get(workspaceId);
    return workspace ? `workspace ${quoted(workspace.name)}` : `workspace ${workspaceId}`;
  }

  project(projectId: string): string {
    const project = this.state.projects.get(projectId);
    return project ? `project ${quoted(project.name)}` : `project ${projectId}`;
  }

  dashboard(dashboardId: string): string {
    const name =
      this.state.dashboards.get(dashboardId)?.name ?? this.departed.dashboards.get(dashboardId);
    return name === undefined ? `dashboard ${dashboardId}` : `dashboard ${quoted(name)}`;
  }

  apiKey(keyId: string): string {
    const key = this.state.apiKeys.get(keyId);
    return key ? `API key ${quoted(key.name)}` : `API key ${keyId}`;
  }
}

/** How the audit log tells one event type (R34). */
interface Description<T extends EventType> {
  /** Everything the event names, as `members/<id>`, `roles/<id>`, …: what `subject=` matches. */
  subjects(data: AuditData<T>): string[];
  /** "<actor> <did what to whom>", with names as they were before the event. */
  sentence(actor: string, data: AuditData<T>, names: Names): string;
}

const quoted = (name: string): string => `"${name}"`;
const list = (items: readonly string[]): string => (items.length === 0 ? 'none' : items.join(', '));
const member = (userId: string) => `members/${userId}`;
const role = (roleId: string) => `roles/${roleId}`;
const group = (groupId: string) => `groups/${groupId}`;
const workspace = (workspaceId: string) => `workspaces/${workspaceId}`;
const project = (projectId: string) => `projects/${projectId}`;
const principal = (p: Principal) => (p.type === 'user' ? member(p.id) : group(p.id));

function roleChanges(before: readonly string[] | undefined, after: readonly string[]): string {
  if (!before) return `permissions ${list(after)}`;
  const had = new Set(before);
  const has = new Set(after);
  const added = after.filter((p) => !had.has(p));
  const removed = before.filter((p) => !has.has(p));
  const parts = [
    ...(added.length > 0 ? [`added ${list(added)}`] : []),
    ...(removed.length > 0 ? [`removed ${list(removed)}`] : []),
  ];
  return parts.length > 0 ? parts.join('; ') : 'permissions unchanged';
}

/**
 * One description per event type of the catalog: a mapped type over the event union, so a new
 * event type fails compilation here until the audit log can tell it (R34).
 */
export const AUDIT_DESCRIPTIONS: { readonly [T in EventType]: Description<T> } = {
  OrganizationCreated: {
    subjects: (d) => [
      'organization',
      member(d.firstMember.userId),
      workspace(d.defaultWorkspaceId),
    ],
    sentence: (a, d) =>
      `${a} created the organization ${quoted(d.name)} with ${d.firstMember.email} as its first member (full_access) and catalog ${list(d.catalog)}`,
  },
  CatalogPermissionsAdded: {
    subjects: () => ['catalog'],
    sentence: (a, d) => `${a} added ${list(d.permissions)} to the catalog`,
  },
  CatalogPermissionsRemoved: {
    subjects: () => ['catalog'],
    sentence: (a, d) => `${a} removed ${list(d.permissions)} from the catalog`,
  },
  RoleCreated: {
    subjects: (d) => [role(d.roleId)],
    sentence: (a, d) => `${a} created the role ${quoted(d.name)} with ${list(d.permissions)}`,
  },
  RoleUpdated: {
    subjects: (d) => [role(d.roleId)],
    sentence: (a, d, n) => {
      const before = n.state.roles.get(d.roleId);
      const renamed = before && before.name !== d.name ? ` (renamed to ${quoted(d.name)})` : '';
      return `${a} updated the role ${n.role(d.roleId)}${renamed}: ${roleChanges(before?.permissions, d.permissions)}`;
    },
  },
  RoleDeleted: {
    subjects: (d) => [role(d.roleId)],
    sentence: (a, d, n) => `${a} deleted the role ${n.role(d.roleId)}`,
  },
  MemberInvited: {
    subjects: (d) => [member(d.userId), role(d.roleId)],
    sentence: (a, d, n) => `${a} invited ${d.email} as ${n.role(d.roleId)}`,
  },
  MemberActivated: {
    subjects: (d) => [member(d.userId)],
    sentence: (_a, d, n) =>
      n.state.members.get(d.userId)?.status === 'invited'
        ? `${n.member(d.userId)} signed in for the first time and became active`
        : `${n.member(d.userId)} signed in for the first time and was bound to their identity`,
  },
  MemberRoleChanged: {
    subjects: (d) => [member(d.userId), role(d.previousRoleId), role(d.roleId)],
    sentence: (a, d, n) =>
      `${a} changed ${n.member(d.userId)}'s role from ${n.role(d.previousRoleId)} to ${n.role(d.roleId)}`,
  },
  MemberDeactivated: {
    subjects: (d) => [member(d.userId)],
    sentence: (a, d, n) => `${a} deactivated ${n.member(d.userId)}`,
  },
  MemberReactivated: {
    subjects: (d) => [member(d.userId)],
    sentence: (a, d, n) => `${a} reactivated ${n.member(d.userId)}`,
  },
  MemberRemoved: {
    subjects: (d) => [member(d.userId)],
    sentence: (a, d, n) => `${a} removed ${n.member(d.userId)} from the organization`,
  },
  ApiKeyIssued: {
    subjects: (d) => [`api-keys/${d.keyId}`, member(d.issuedBy), role(d.snapshot.roleId)],
    sentence: (a, d) =>
      `${a} issued the API key ${quoted(d.name)} with the permissions of ${d.snapshot.roleName} (${list(d.snapshot.permissions)}), ${d.expiresAt ? `expiring ${d.expiresAt}` : 'never expiring'}`,
  },
  ApiKeyRevoked: {
    subjects: (d) => [`api-keys/${d.keyId}`],
    sentence: (a, d, n) => `${a} revoked the ${n.apiKey(d.keyId)}`,
  },
  GroupCreated: {
    subjects: (d) => [group(d.groupId)],
    sentence: (a, d) => `${a} created the group ${quoted(d.name)}`,
  },
  DirectoryGroupLinked: {
    subjects: (d) => [group(d.groupId)],
    sentence: (a, d) =>
      `${a} linked the directory group ${quoted(d.directoryGroupId)} as the group ${quoted(d.name)}`,
  },
  GroupRenamed: {
    subjects: (d) => [group(d.groupId)],
    sentence: (a, d, n) => `${a} renamed the ${n.group(d.groupId)} to ${quoted(d.name)}`,
  },
  GroupDeleted: {
    subjects: (d) => [group(d.groupId)],
    sentence: (a, d, n) => `${a} deleted the ${n.group(d.groupId)}`,
  },
  GroupMembersAdded: {
    subjects: (d) => [group(d.groupId), ...d.userIds.map(member)],
    sentence: (a, d, n) =>
      `${a} added ${list(d.userIds.map((id) => n.member(id)))} to the ${n.group(d.groupId)}`,
  },
  GroupMemberRemoved: {
    subjects: (d) => [group(d.groupId), member(d.userId)],
    sentence: (a, d, n) => `${a} removed ${n.member(d.userId)} from the ${n.group(d.groupId)}`,
  },
  DirectoryMembershipSynced: {
    subjects: (d) => [member(d.userId), ...d.joined.map(group), ...d.left.map(group)],
    sentence: (_a, d, n) =>
      `${n.member(d.userId)}'s directory groups were synced at sign-in: joined ${list(d.joined.map((id) => n.group(id)))}; left ${list(d.left.map((id) => n.group(id)))}`,
  },
  WorkspaceCreated: {
    subjects: (d) => [workspace(d.workspaceId)],
    sentence: (a, d) => `${a} created the workspace ${quoted(d.name)}`,
  },
  WorkspaceRenamed: {
    subjects: (d) => [workspace(d.workspaceId)],
    sentence: (a, d, n) => `${a} renamed the ${n.workspace(d.workspaceId)} to ${quoted(d.name)}`,
  },
  WorkspacePrincipalAdded: {
    subjects: (d) => [workspace(d.workspaceId), principal(d.principal)],
    sentence: (a, d, n) =>
      `${a} gave ${n.principal(d.principal)} the ${d.role} role in the ${n.workspace(d.workspaceId)}`,
  },
  WorkspacePrincipalRoleChanged: {
    subjects: (d) => [workspace(d.workspaceId), principal(d.principal)],
    sentence: (a, d, n) =>
      `${a} changed ${n.principal(d.principal)}'s role in the ${n.workspace(d.workspaceId)} from ${d.previousRole} to ${d.role}`,
  },
  WorkspacePrincipalRemoved: {
    subjects: (d) => [workspace(d.workspaceId), principal(d.principal)],
    sentence: (a, d, n) =>
      `${a} removed ${n.principal(d.principal)} from the ${n.workspace(d.workspaceId)}`,
  },
  ProjectCreated: {
    subjects: (d) => [project(d.projectId), workspace(d.workspaceId), principal(d.owner)],
    sentence: (a, d, n) =>
      `${a} created the project ${quoted(d.name)} in the ${n.workspace(d.workspaceId)}, owned by ${n.principal(d.owner)}`,
  },
  ProjectMemberAdded: {
    subjects: (d) => [project(d.projectId), principal(d.principal)],
    sentence: (a, d, n) =>
      `${a} added ${n.principal(d.principal)} to the ${n.project(d.projectId)} as ${d.role}`,
  },
  ProjectMemberRoleChanged: {
    subjects: (d) => [project(d.projectId), principal(d.principal)],
    sentence: (a, d, n) =>
      `${a} changed ${n.principal(d.principal)}'s role in the ${n.project(d.projectId)} from ${d.previousRole} to ${d.role}`,
  },
  ProjectMembersRemoved: {
    subjects: (d) => [project(d.projectId), ...d.principals.map(principal)],
    sentence: (a, d, n) =>
      `${a} removed ${list(d.principals.map((p) => n.principal(p)))} from the ${n.project(d.projectId)}`,
  },
  OwnershipTransferred: {
    subjects: (d) => [project(d.projectId), principal(d.from), principal(d.to)],
    sentence: (a, d, n) =>
      `${a} transferred ownership of the ${n.project(d.projectId)} from ${n.principal(d.from)} to ${n.principal(d.to)}`,
  },
  ProjectDeleted: {
    subjects: (d) => [project(d.projectId)],
    sentence: (a, d, n) => `${a} deleted the ${n.project(d.projectId)}`,
  },
  DashboardCreated: {
    subjects: (d) => [
      `dashboards/${d.dashboardId}`,
      workspace(d.workspaceId),
      ...d.projectIds.map(project),
    ],
    sentence: (a, d, n) =>
      `${a} created the dashboard ${quoted(d.name)} in the ${n.workspace(d.workspaceId)}, reading ${list(d.projectIds.map((id) => n.project(id)))}`,
  },
  DashboardDeleted: {
    subjects: (d) => [`dashboards/${d.dashboardId}`],
    sentence: (a, d, n) => `${a} deleted the ${n.dashboard(d.dashboardId)}`,
  },
};
