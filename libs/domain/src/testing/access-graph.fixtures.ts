import type {
  DirectoryGroupLinked,
  GroupCreated,
  GroupMembersAdded,
} from '../group/group.events.js';
import type { OrganizationEvent } from '../organization/organization.events.js';
import type {
  ProjectCreated,
  ProjectMemberAdded,
  ProjectMemberRole,
} from '../project/project.events.js';
import type { Actor } from '../shared/actor.js';
import type { Principal } from '../shared/principal.js';
import type {
  WorkspaceCreated,
  WorkspacePrincipalAdded,
  WorkspaceRole,
} from '../workspace/workspace.events.js';
import type { DashboardCreated } from '../dashboard/dashboard.events.js';
import {
  activeMember,
  ADMIN,
  CATALOG,
  organizationCreated,
  PAID_FEATURES,
  user,
} from './organization.fixtures.js';

export const userP = (id: string): Principal => ({ type: 'user', id });
export const groupP = (id: string): Principal => ({ type: 'group', id });

export const DEFAULT_WS = 'ws-acme';

/**
 * What CreateOrganization records since R1 joined the aggregate: the org and its Default
 * workspace. Its catalog holds the R42 entitlements, so that creating workspaces and linking
 * directory groups is allowed here; the R42 tests remove them.
 */
export const orgCreated = (): OrganizationEvent[] => [
  organizationCreated([...CATALOG, ...PAID_FEATURES]),
  workspaceCreated(DEFAULT_WS, 'Default'),
  workspacePrincipalAdded(DEFAULT_WS, userP(ADMIN.userId), 'admin'),
];

export const groupCreated = (groupId: string, name = `Group ${groupId}`): GroupCreated => ({
  type: 'GroupCreated',
  data: { groupId, name },
});
export const directoryGroupLinked = (
  groupId: string,
  directoryGroupId: string,
  name = `Directory ${groupId}`,
): DirectoryGroupLinked => ({
  type: 'DirectoryGroupLinked',
  data: { groupId, name, directoryGroupId },
});
export const groupMembersAdded = (groupId: string, userIds: string[]): GroupMembersAdded => ({
  type: 'GroupMembersAdded',
  data: { groupId, userIds },
});
export const workspaceCreated = (workspaceId: string, name: string): WorkspaceCreated => ({
  type: 'WorkspaceCreated',
  data: { workspaceId, name },
});
export const workspacePrincipalAdded = (
  workspaceId: string,
  principal: Principal,
  role: WorkspaceRole,
): WorkspacePrincipalAdded => ({
  type: 'WorkspacePrincipalAdded',
  data: { workspaceId, principal, role },
});
export const projectCreated = (
  projectId: string,
  workspaceId: string,
  owner: Principal,
  name = `Project ${projectId}`,
): ProjectCreated => ({
  type: 'ProjectCreated',
  data: { projectId, workspaceId, name, owner },
});
export const projectMemberAdded = (
  projectId: string,
  principal: Principal,
  role: ProjectMemberRole = 'viewer',
): ProjectMemberAdded => ({
  type: 'ProjectMemberAdded',
  data: { projectId, principal, role },
});
export const dashboardCreated = (
  dashboardId: string,
  workspaceId: string,
  projectIds: string[],
  createdBy: string,
  name = `Dashboard ${dashboardId}`,
): DashboardCreated => ({
  type: 'DashboardCreated',
  data: { dashboardId, workspaceId, name, projectIds, createdBy },
});

/** The people of the test organization, each an active default_access member unless noted. */
export const MEMBERS = {
  alice: 'u-alice', // ws-1 user, owner of p-1
  bob: 'u-bob', // ws-1 member, viewer of p-1
  carol: 'u-carol', // in group g-eng (ws-1 user, owner of p-2)
  dave: 'u-dave', // no role in ws-1
  wsAdmin: 'u-wsadmin', // ws-1 admin
  editor: 'u-editor', // ws-1 editor
  orgAdmin2: 'u-admin2', // a second org admin (full_access), no workspace role in ws-1
} as const;
export type MemberName = keyof typeof MEMBERS;

export const emailOf = (name: MemberName): string => `${name.toLowerCase()}@acme.test`;
/** The signed-in actor of a test member; the org's first admin is `admin` in organization.fixtures. */
export const as = (name: MemberName): Actor => user(emailOf(name));

export const WS = 'ws-1';
export const ENG = 'g-eng';

/**
 * A small but complete access graph: workspace ws-1 (Research) with one principal of every
 * kind, project p-1 owned by alice (bob viewer), project p-2 owned by group g-eng (carol's),
 * dashboard d-1 by alice over p-1.
 */
export function world(): OrganizationEvent[] {
  const members = (Object.keys(MEMBERS) as MemberName[]).flatMap((name) =>
    activeMember(MEMBERS[name], emailOf(name), name === 'orgAdmin2' ? 'full_access' : undefined),
  );
  return [
    ...orgCreated(),
    ...members,
    groupCreated(ENG, 'Engineering'),
    groupMembersAdded(ENG, [MEMBERS.carol]),
    workspaceCreated(WS, 'Research'),
    workspacePrincipalAdded(WS, userP(MEMBERS.alice), 'user'),
    workspacePrincipalAdded(WS, userP(MEMBERS.bob), 'member'),
    workspacePrincipalAdded(WS, userP(MEMBERS.wsAdmin), 'admin'),
    workspacePrincipalAdded(WS, userP(MEMBERS.editor), 'editor'),
    workspacePrincipalAdded(WS, groupP(ENG), 'user'),
    projectCreated('p-1', WS, userP(MEMBERS.alice)),
    projectMemberAdded('p-1', userP(MEMBERS.bob), 'viewer'),
    projectCreated('p-2', WS, groupP(ENG)),
    dashboardCreated('d-1', WS, ['p-1'], MEMBERS.alice),
  ];
}

/**
 * world() created with a catalog lacking these permissions (R42: before support enables an
 * entitlement). To test what happens once one is removed, append CatalogPermissionsRemoved.
 */
export function worldWithout(permissions: string[]): OrganizationEvent[] {
  const [, ...rest] = world();
  const catalog = [...CATALOG, ...PAID_FEATURES].filter((p) => !permissions.includes(p));
  return [organizationCreated(catalog), ...rest];
}

/** A signed-in user whose JWT carries these `groups` claims (R18). */
export const withGroups = (email: string, subject: string, groups: string[]): Actor => ({
  type: 'user',
  subject,
  email,
  groups,
});
