import fc from 'fast-check';
import { DomainError, type Actor, type OrganizationCommand, type Principal } from '#libs/domain';
import type { EventActor, EventStore, RecordedEvent } from '#libs/event-store';
import type { CommandExecutor } from '../../apps/command-service/src/infrastructure/command-executor.js';
import { organizationAggregate } from '../../apps/command-service/src/organizations/aggregates.js';

/*
 * Random command sequences over one organization, shared by the property tests: members (org
 * roles built-in and custom, deactivation, removal), manual and directory groups, workspaces
 * and their principals, projects (members, ownership, deletion), dashboards, API keys and the
 * support operator's catalog edits. Each step is a record of small indexes into fixed pools,
 * so fast-check shrinks a failure to a short, readable sequence (`u1`, `g0`, `p2`, ...).
 */

/** Every command is decided at this instant; keys issued with an expiry expire at EXPIRES_AT. */
export const NOW = '2026-06-01T00:00:00.000Z';
export const EXPIRES_AT = '2026-06-01T01:00:00.000Z';

/** Permissions support adds and removes at random (R4), and custom roles are made of. */
export const PERMISSION_POOL = [
  'checks.read',
  'checks.write',
  'reports.view',
  'truora.keys',
  'truora.roles',
] as const;
/**
 * The initial catalog, on top of the defaults (`truora.users`, `truora.keys`). The R42
 * entitlements are there so creating workspaces and linking directory groups keep working
 * whether or not they are required yet.
 */
export const INITIAL_CATALOG = [
  'checks.read',
  'checks.write',
  'truora.roles',
  'truora.workspaces',
  'truora.directory',
];

// Small pools, so that random steps keep meeting the same users, groups and projects.
export const POOL = {
  users: 5, // u0 is the organization's first admin
  groups: 3,
  workspaces: 2, // besides Default
  projects: 3,
  dashboards: 2,
  keys: 3,
  roles: 2, // custom roles
} as const;

const pool = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}${i}`);

export interface World {
  organizationId: string;
  defaultWorkspaceId: string;
  users: { userId: string; email: string }[];
  groups: string[];
  /** The pool's workspaces, then Default last. */
  workspaces: string[];
  projects: string[];
  dashboards: string[];
  keys: string[];
  /** Custom role ids. */
  roles: string[];
}

/** Fixed ids: each run has a store of its own, and fixed ids make counterexamples readable. */
export function newWorld(): World {
  const organizationId = 'org-p';
  const defaultWorkspaceId = 'ws-default';
  return {
    organizationId,
    defaultWorkspaceId,
    users: pool('u', POOL.users).map((userId) => ({ userId, email: `${userId}@property.test` })),
    groups: pool('g', POOL.groups),
    workspaces: [...pool('ws', POOL.workspaces), defaultWorkspaceId],
    projects: pool('p', POOL.projects),
    dashboards: pool('d', POOL.dashboards),
    keys: pool('k', POOL.keys),
    roles: pool('r', POOL.roles),
  };
}

/** The directory (identity-provider) id a pool group is linked to, when it is linked. */
export const directoryIdOf = (groupId: string) => `dir-${groupId}`;

const KINDS = [
  ['InviteMember', 2],
  ['SignIn', 2],
  ['ChangeMemberRole', 2],
  ['DeactivateMember', 1],
  ['ReactivateMember', 1],
  ['RemoveMember', 2],
  ['CreateRole', 1],
  ['UpdateRole', 1],
  ['DeleteRole', 1],
  ['AddCatalogPermissions', 1],
  ['RemoveCatalogPermissions', 1],
  ['IssueApiKey', 2],
  ['RevokeApiKey', 1],
  ['CreateGroup', 1],
  ['LinkDirectoryGroup', 1],
  ['AddGroupMembers', 2],
  ['RemoveGroupMember', 1],
  ['DeleteGroup', 1],
  ['CreateWorkspace', 1],
  ['AddWorkspacePrincipal', 3],
  ['ChangeWorkspacePrincipalRole', 1],
  ['RemoveWorkspacePrincipal', 1],
  ['CreateProject', 3],
  ['AddProjectMember', 4],
  ['ChangeProjectMemberRole', 1],
  ['RemoveProjectMembers', 1],
  ['TransferOwnership', 3],
  ['DeleteProject', 1],
  ['CreateDashboard', 2],
  ['DeleteDashboard', 1],
] as const;
export type StepKind = (typeof KINDS)[number][0];

const kindOf = (kinds: readonly (readonly [StepKind, number])[]) =>
  fc.oneof(...kinds.map(([kind, weight]) => ({ arbitrary: fc.constant(kind), weight })));

const fields = {
  // The first admin acts most of the time, so that sequences reach deep states rather than
  // mostly refusals of members without authority.
  actor: fc.oneof(
    { arbitrary: fc.constant(0), weight: 3 },
    { arbitrary: fc.nat(POOL.users - 1), weight: 1 },
  ),
  user: fc.nat(POOL.users - 1),
  group: fc.nat(POOL.groups - 1),
  // POOL.workspaces is the Default workspace, which always exists: named more often.
  workspace: fc.oneof(
    { arbitrary: fc.constant(POOL.workspaces), weight: 2 },
    { arbitrary: fc.nat(POOL.workspaces - 1), weight: 3 },
  ),
  project: fc.nat(POOL.projects - 1),
  dashboard: fc.nat(POOL.dashboards - 1),
  key: fc.nat(POOL.keys - 1),
  role: fc.nat(POOL.roles - 1),
  principalIsGroup: fc.boolean(),
  /** 0 full_access, 1 default_access, 2.. the custom roles. */
  orgRole: fc.nat(POOL.roles + 1),
  workspaceRole: fc.constantFrom(...(['member', 'user', 'editor', 'admin'] as const)),
  projectRole: fc.constantFrom(...(['viewer', 'user'] as const)),
  permissions: fc.subarray([...PERMISSION_POOL], { minLength: 1 }),
  /** Indexes of pool groups whose directory ids the actor's `groups` claim names at sign-in. */
  claims: fc.subarray([0, 1, 2]),
  /** Indexes of pool projects a dashboard reads. */
  reads: fc.subarray([0, 1, 2], { minLength: 1, maxLength: 2 }),
  expires: fc.boolean(),
};

/** One step, as indexes into the world's pools; mapped to a command once the world exists. */
export const step = fc.record({
  // Grants are weighted up: removals and cascades only matter once roles have been handed out.
  kind: kindOf(KINDS),
  ...fields,
});
export type Step = typeof step extends fc.Arbitrary<infer T> ? T : never;

/**
 * The head of a sequence builds a graph up, layer by layer (members before groups, workspaces
 * before projects, ...): without it most random steps name a workspace, project or member that
 * does not exist yet and are refused, and sequences never reach the states worth checking. A
 * pinned layer offers one step per entry of a pool (each may be left out, which is also how it
 * shrinks); the others are free steps. The first admin acts, except that users sign in as
 * themselves and projects and keys come from the usual mix of actors.
 */
type Pin = 'user' | 'group' | 'workspace' | 'project' | 'dashboard' | 'key' | 'role';
const LAYERS: readonly (readonly [kinds: readonly StepKind[], pin: Pin | number, from?: number])[] =
  [
    [['CreateRole'], 'role'],
    [['InviteMember'], 'user', 1],
    [['SignIn'], 'user', 1],
    [['CreateGroup', 'LinkDirectoryGroup'], 'group'],
    [['SignIn'], 'user'], // directory groups exist now: claims sync them (R18)
    [['AddGroupMembers'], 5],
    [['CreateWorkspace'], 'workspace'],
    [['AddWorkspacePrincipal'], 5],
    [['CreateProject'], 'project'],
    [['AddProjectMember'], 6],
    [['TransferOwnership'], 2],
    [['IssueApiKey'], 'key'],
    [['CreateDashboard'], 'dashboard'],
  ];

const PIN_SIZE: { [P in Pin]: number } = {
  user: POOL.users,
  group: POOL.groups,
  workspace: POOL.workspaces, // not Default: it exists from R1
  project: POOL.projects,
  dashboard: POOL.dashboards,
  key: POOL.keys,
  role: POOL.roles,
};

const headStep = (kinds: readonly StepKind[]): fc.Arbitrary<Step> =>
  fc.record({ kind: fc.constantFrom(...kinds), ...fields }).map((s) => ({
    ...s,
    actor:
      s.kind === 'SignIn'
        ? s.user
        : s.kind === 'CreateProject' || s.kind === 'IssueApiKey'
          ? s.actor
          : 0,
  }));

function layer([kinds, pin, from = 0]: (typeof LAYERS)[number]): fc.Arbitrary<Step[]> {
  if (typeof pin === 'number') return fc.array(headStep(kinds), { maxLength: pin });
  const entries = Array.from({ length: PIN_SIZE[pin] - from }, (_, i) =>
    fc.option(
      headStep(kinds).map((s) => ({
        ...s,
        [pin]: from + i,
        ...(s.kind === 'SignIn' ? { actor: from + i } : {}),
      })),
      { nil: undefined, freq: 4 },
    ),
  );
  return fc.tuple(...entries).map((steps) => steps.filter((s): s is Step => s !== undefined));
}

/** A constructive head (see LAYERS), then `tail` steps of any kind from any actor. */
export function sequence(tail: { minLength: number; maxLength: number }): fc.Arbitrary<Step[]> {
  return fc
    .tuple(fc.tuple(...LAYERS.map(layer)), fc.array(step, tail))
    .map(([head, rest]) => [...head.flat(), ...rest]);
}

/** The command a step stands for, and who issued it as the store records it (R32). */
export function toCommand(
  world: World,
  s: Step,
): { command: OrganizationCommand; actor: EventActor } {
  const user = world.users[s.user];
  const actorUser = world.users[s.actor];
  const claims = s.claims.map((i) => directoryIdOf(world.groups[i]));
  const asUser: Actor = {
    type: 'user',
    subject: `idp|${actorUser.email}`,
    email: actorUser.email,
    groups: claims,
  };
  const support: Actor = { type: 'support', id: 'support' };
  const bySupport = s.kind === 'AddCatalogPermissions' || s.kind === 'RemoveCatalogPermissions';
  const metadata = { actor: bySupport ? support : asUser, now: NOW };
  const actor: EventActor = bySupport
    ? { type: 'support', id: 'support' }
    : { type: 'user', id: asUser.subject };
  const groupId = world.groups[s.group];
  const workspaceId = world.workspaces[s.workspace];
  const projectId = world.projects[s.project];
  const roleId = [FULL, DEFAULT, ...world.roles][s.orgRole];
  const customRoleId = world.roles[s.role];
  const keyId = world.keys[s.key];
  const principal: Principal = s.principalIsGroup
    ? { type: 'group', id: groupId }
    : { type: 'user', id: user.userId };
  const command = (type: StepKind, data: object) =>
    ({ command: { type, data, metadata }, actor }) as {
      command: OrganizationCommand;
      actor: EventActor;
    };
  switch (s.kind) {
    case 'InviteMember':
      return command(s.kind, { userId: user.userId, email: user.email, roleId });
    case 'SignIn':
      // The actor signs in as themselves, with the directory groups of their claim (R18).
      return command(s.kind, { subject: asUser.subject, email: actorUser.email, groups: claims });
    case 'ChangeMemberRole':
      return command(s.kind, { userId: user.userId, roleId });
    case 'DeactivateMember':
    case 'ReactivateMember':
    case 'RemoveMember':
      return command(s.kind, { userId: user.userId });
    case 'CreateRole':
      return command(s.kind, {
        roleId: customRoleId,
        name: `role ${s.role}`,
        permissions: s.permissions,
      });
    case 'UpdateRole':
      return command(s.kind, { roleId: customRoleId, permissions: s.permissions });
    case 'DeleteRole':
      return command(s.kind, { roleId: customRoleId });
    case 'AddCatalogPermissions':
    case 'RemoveCatalogPermissions':
      return command(s.kind, { permissions: s.permissions });
    case 'IssueApiKey':
      return command(s.kind, {
        keyId,
        name: `key ${s.key}`,
        secretHash: `hash-${keyId}`,
        secretPrefix: `al_${keyId}`,
        expiresAt: s.expires ? EXPIRES_AT : null,
      });
    case 'RevokeApiKey':
      return command(s.kind, { keyId });
    case 'CreateGroup':
      return command(s.kind, { groupId, name: `group ${s.group}` });
    case 'LinkDirectoryGroup':
      return command(s.kind, {
        groupId,
        name: `group ${s.group}`,
        directoryGroupId: directoryIdOf(groupId),
      });
    case 'AddGroupMembers':
      return command(s.kind, { groupId, userIds: [user.userId] });
    case 'RemoveGroupMember':
      return command(s.kind, { groupId, userId: user.userId });
    case 'DeleteGroup':
      return command(s.kind, { groupId });
    case 'CreateWorkspace':
      return command(s.kind, {
        workspaceId,
        name: `workspace ${s.workspace}`,
        principals: [{ principal, role: s.workspaceRole }],
      });
    case 'AddWorkspacePrincipal':
    case 'ChangeWorkspacePrincipalRole':
      return command(s.kind, { workspaceId, principal, role: s.workspaceRole });
    case 'RemoveWorkspacePrincipal':
      return command(s.kind, { workspaceId, principal });
    case 'CreateProject':
      return command(s.kind, { projectId, workspaceId, name: `project ${s.project}` });
    case 'AddProjectMember':
    case 'ChangeProjectMemberRole':
      return command(s.kind, { projectId, principal, role: s.projectRole });
    case 'RemoveProjectMembers':
      return command(s.kind, { projectId, principals: [principal] });
    case 'TransferOwnership':
      return command(s.kind, { projectId, to: principal });
    case 'DeleteProject':
      return command(s.kind, { projectId });
    case 'CreateDashboard':
      return command(s.kind, {
        dashboardId: world.dashboards[s.dashboard],
        workspaceId,
        name: `dashboard ${s.dashboard}`,
        projectIds: s.reads.map((i) => world.projects[i]),
      });
    case 'DeleteDashboard':
      return command(s.kind, { dashboardId: world.dashboards[s.dashboard] });
  }
}

const FULL = 'full_access';
const DEFAULT = 'default_access';

const trace = (world: World, actor: EventActor) => ({
  organizationId: world.organizationId,
  actor,
  correlationId: 'property',
  causationId: 'property',
});

/** R1: support creates the organization with INITIAL_CATALOG and u0 as its first admin. */
export async function createOrganization(executor: CommandExecutor, world: World): Promise<void> {
  const actor: EventActor = { type: 'support', id: 'support' };
  await executor.execute(
    organizationAggregate,
    world.organizationId,
    {
      type: 'CreateOrganization',
      data: {
        organizationId: world.organizationId,
        name: 'Property',
        catalog: INITIAL_CATALOG,
        firstUser: world.users[0],
        defaultWorkspaceId: world.defaultWorkspaceId,
      },
      metadata: { actor: { type: 'support', id: 'support' }, now: NOW },
    },
    trace(world, actor),
  );
}

/**
 * Runs one step through the real command path; a refusal (DomainError) is an answer, not a
 * failure: most random steps are refused, and what they must not do is append.
 * @returns whether the step was refused
 */
export async function runStep(executor: CommandExecutor, world: World, s: Step): Promise<boolean> {
  const { command, actor } = toCommand(world, s);
  try {
    await executor.execute(
      organizationAggregate,
      world.organizationId,
      command,
      trace(world, actor),
    );
    return false;
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    return true;
  }
}

/** A step as the command it stands for, by whom: `AddProjectMember by u0 {...}`. */
export function describeStep(world: World, s: Step): string {
  const { command, actor } = toCommand(world, s);
  const by = actor.type === 'support' ? 'support' : world.users[s.actor].userId;
  return `${command.type} by ${by} ${JSON.stringify(command.data)}`;
}

export async function history(store: EventStore): Promise<RecordedEvent[]> {
  const events: RecordedEvent[] = [];
  for await (const event of store.readAll()) events.push(event);
  return events;
}
