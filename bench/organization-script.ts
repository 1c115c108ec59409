import { createHash } from 'node:crypto';
import type {
  Actor,
  OrganizationCommand,
  OrganizationState,
  Principal,
  ProjectMemberRole,
  WorkspaceRole,
} from '#libs/domain';

/**
 * Realistic organization histories for the projector's fault test and the rebuild bench
 * (bench/projection-rebuild.bench.ts; here, beside the bench, so that the build compiles no
 * test file, and free of test-framework imports for the same reason).
 */

const CATALOG = [
  'billing.read',
  'checks.read',
  'checks.write',
  'reports.export',
  'reports.read',
  // R6, R42: the script creates roles, workspaces and directory groups.
  'truora.directory',
  'truora.roles',
  'truora.workspaces',
];
const WORKSPACE_ROLES: readonly WorkspaceRole[] = ['member', 'user', 'editor', 'admin'];
const PROJECT_ROLES: readonly ProjectMemberRole[] = ['viewer', 'user'];

type Kind = OrganizationCommand['type'];

/** Relative frequencies: members come and go, grants dominate, structure changes rarely. */
const MIX: ReadonlyArray<readonly [Kind, number]> = [
  ['InviteMember', 12],
  ['SignIn', 10],
  ['ChangeMemberRole', 5],
  ['DeactivateMember', 1],
  ['ReactivateMember', 1],
  ['RemoveMember', 2],
  ['CreateRole', 0.5],
  ['UpdateRole', 0.5],
  ['CreateGroup', 1.5],
  ['LinkDirectoryGroup', 0.5],
  ['RenameGroup', 0.5],
  ['AddGroupMembers', 8],
  ['RemoveGroupMember', 2],
  ['DeleteGroup', 0.3],
  ['CreateWorkspace', 0.7],
  ['AddWorkspacePrincipal', 5],
  ['ChangeWorkspacePrincipalRole', 2],
  ['RemoveWorkspacePrincipal', 1],
  ['CreateProject', 3],
  ['AddProjectMember', 10],
  ['ChangeProjectMemberRole', 3],
  ['RemoveProjectMembers', 2],
  ['TransferOwnership', 1],
  ['DeleteProject', 0.3],
  ['CreateDashboard', 1],
  ['DeleteDashboard', 0.3],
  ['IssueApiKey', 1.5],
  ['RevokeApiKey', 0.5],
];
const MIX_TOTAL = MIX.reduce((sum, [, weight]) => sum + weight, 0);

/**
 * The commands an organization's admin and members issue over its life, aimed at what exists
 * in its current state so that few are refused (refusals are expected and harmless: the
 * caller drops them). Deterministic for a given random source and the same outcomes.
 */
export class OrganizationScript {
  private serial = 0;
  /** Ids ever created; an id found gone is skipped when drawn. */
  private readonly members: string[] = [];
  private readonly invited: string[] = [];
  private readonly groups: string[] = [];
  private readonly directoryGroups: string[] = [];
  private readonly workspaces: string[] = [];
  private readonly projects: string[] = [];
  private readonly dashboards: string[] = [];
  private readonly keys: string[] = [];
  private readonly roles: string[] = [];
  private readonly adminEmail: string;
  private readonly admin: Actor;

  constructor(
    readonly organizationId: string,
    private readonly random: () => number,
  ) {
    this.adminEmail = `admin@${organizationId}.test`;
    const subject = `sub-admin-${organizationId}`;
    this.admin = { type: 'user', subject, email: this.adminEmail, groups: [] };
  }

  /** CreateOrganization first, then draws from the mix. */
  next(state: OrganizationState, now: string): OrganizationCommand {
    if (!state.exists) return this.create(now);
    for (let attempt = 0; attempt < 5; attempt++) {
      const command = this.draw(state, now);
      if (command) return command;
    }
    return this.invite(now);
  }

  private create(now: string): OrganizationCommand {
    const defaultWorkspaceId = `${this.organizationId}-ws-default`;
    this.workspaces.push(defaultWorkspaceId);
    return {
      type: 'CreateOrganization',
      data: {
        organizationId: this.organizationId,
        name: `Organization ${this.organizationId}`,
        catalog: CATALOG,
        firstUser: { userId: `${this.organizationId}-admin`, email: this.adminEmail },
        defaultWorkspaceId,
      },
      metadata: { actor: { type: 'support', id: 'support-script' }, now },
    };
  }

  private draw(state: OrganizationState, now: string): OrganizationCommand | undefined {
    const command = (type: Kind, data: object, actor: Actor = this.admin) =>
      ({ type, data, metadata: { actor, now } }) as OrganizationCommand;
    const member = () => this.live(this.members, (id) => state.members.has(id));
    const group = () => this.live(this.groups, (id) => state.groups.get(id)?.kind === 'manual');
    const workspace = () => this.live(this.workspaces, (id) => state.workspaces.has(id));
    const project = () => this.live(this.projects, (id) => state.projects.get(id)?.live === true);
    const principal = (): Principal | undefined => {
      const groupId = this.random() < 0.25 ? group() : undefined;
      if (groupId) return { type: 'group', id: groupId };
      const userId = member();
      return userId ? { type: 'user', id: userId } : undefined;
    };

    const kind = this.kind();
    switch (kind) {
      case 'InviteMember':
        return this.invite(now);
      case 'SignIn': {
        const userId = this.take(this.invited);
        const invitee = userId === undefined ? undefined : state.members.get(userId);
        if (invitee?.status !== 'invited') return undefined;
        const groups =
          this.directoryGroups.length > 0 && this.random() < 0.3
            ? [this.pick(this.directoryGroups)]
            : [];
        const subject = `sub-${invitee.userId}`;
        return command(
          'SignIn',
          { subject, email: invitee.email, groups },
          { type: 'user', subject, email: invitee.email, groups },
        );
      }
      case 'ChangeMemberRole': {
        const userId = member();
        const roleId =
          this.random() < 0.05 ? 'full_access' : this.pickOr(this.roles, 'default_access');
        return userId ? command(kind, { userId, roleId }) : undefined;
      }
      case 'DeactivateMember':
      case 'ReactivateMember':
      case 'RemoveMember': {
        const userId = member();
        return userId ? command(kind, { userId }) : undefined;
      }
      case 'CreateRole': {
        const roleId = this.id(this.roles);
        return command(kind, { roleId, name: `Role ${roleId}`, permissions: this.permissions() });
      }
      case 'UpdateRole': {
        const roleId = this.live(this.roles, (id) => state.roles.has(id));
        return roleId ? command(kind, { roleId, permissions: this.permissions() }) : undefined;
      }
      case 'CreateGroup': {
        const groupId = this.id(this.groups);
        return command(kind, { groupId, name: `Group ${groupId}` });
      }
      case 'LinkDirectoryGroup': {
        const groupId = this.id();
        const directoryGroupId = `dir-${groupId}`;
        this.directoryGroups.push(directoryGroupId);
        return command(kind, { groupId, name: `Directory ${groupId}`, directoryGroupId });
      }
      case 'RenameGroup': {
        const groupId = group();
        return groupId ? command(kind, { groupId, name: `Group ${this.id()}` }) : undefined;
      }
      case 'AddGroupMembers': {
        const groupId = group();
        const userIds = new Set([member(), member()].filter((id) => id !== undefined));
        return groupId && userIds.size > 0
          ? command(kind, { groupId, userIds: [...userIds] })
          : undefined;
      }
      case 'RemoveGroupMember': {
        const groupId = group();
        const userId = groupId ? this.nearFirst(state.groups.get(groupId)?.members) : undefined;
        return groupId && userId ? command(kind, { groupId, userId }) : undefined;
      }
      case 'DeleteGroup': {
        const groupId = group();
        return groupId ? command(kind, { groupId }) : undefined;
      }
      case 'CreateWorkspace': {
        const workspaceId = this.id(this.workspaces);
        return command(kind, { workspaceId, name: `Workspace ${workspaceId}`, principals: [] });
      }
      case 'AddWorkspacePrincipal': {
        const [workspaceId, who] = [workspace(), principal()];
        const role = this.pick(WORKSPACE_ROLES);
        return workspaceId && who
          ? command(kind, { workspaceId, principal: who, role })
          : undefined;
      }
      case 'ChangeWorkspacePrincipalRole':
      case 'RemoveWorkspacePrincipal': {
        const workspaceId = workspace();
        const held = workspaceId
          ? this.nearFirst(state.workspaces.get(workspaceId)?.principals.values())
          : undefined;
        if (!workspaceId || !held) return undefined;
        const role = this.pick(WORKSPACE_ROLES);
        return command(kind, { workspaceId, principal: held.principal, role });
      }
      case 'CreateProject': {
        const workspaceId = workspace();
        if (!workspaceId) return undefined;
        const projectId = this.id(this.projects);
        return command(kind, { projectId, workspaceId, name: `Project ${projectId}` });
      }
      case 'AddProjectMember': {
        const [projectId, who] = [project(), principal()];
        const role = this.pick(PROJECT_ROLES);
        return projectId && who ? command(kind, { projectId, principal: who, role }) : undefined;
      }
      case 'ChangeProjectMemberRole':
      case 'RemoveProjectMembers': {
        const projectId = project();
        const held = projectId
          ? this.nearFirst(state.projects.get(projectId)?.members.values())
          : undefined;
        if (!projectId || !held) return undefined;
        return kind === 'ChangeProjectMemberRole'
          ? command(kind, { projectId, principal: held.principal, role: this.pick(PROJECT_ROLES) })
          : command(kind, { projectId, principals: [held.principal] });
      }
      case 'TransferOwnership': {
        const [projectId, to] = [project(), principal()];
        return projectId && to ? command(kind, { projectId, to }) : undefined;
      }
      case 'DeleteProject': {
        const projectId = project();
        return projectId ? command(kind, { projectId }) : undefined;
      }
      case 'CreateDashboard': {
        const projectId = project();
        const workspaceId = projectId ? state.projects.get(projectId)?.workspaceId : undefined;
        if (!projectId || !workspaceId) return undefined;
        const dashboardId = this.id(this.dashboards);
        const name = `Dashboard ${dashboardId}`;
        return command(kind, { dashboardId, workspaceId, name, projectIds: [projectId] });
      }
      case 'DeleteDashboard': {
        const dashboardId = this.live(this.dashboards, (id) => state.dashboards.has(id));
        return dashboardId ? command(kind, { dashboardId }) : undefined;
      }
      case 'IssueApiKey': {
        const keyId = this.id(this.keys);
        const secretHash = createHash('sha256').update(keyId).digest('hex');
        const expiresAt =
          this.random() < 0.3 ? new Date(Date.parse(now) + 90 * 86_400_000).toISOString() : null;
        const secretPrefix = `al_${secretHash.slice(0, 6)}`;
        return command(kind, { keyId, name: `Key ${keyId}`, secretHash, secretPrefix, expiresAt });
      }
      case 'RevokeApiKey': {
        const keyId = this.live(this.keys, (id) => state.apiKeys.get(id)?.status === 'active');
        return keyId ? command(kind, { keyId }) : undefined;
      }
      default:
        return undefined;
    }
  }

  private invite(now: string): OrganizationCommand {
    const userId = this.id(this.members);
    this.invited.push(userId);
    const roleId =
      this.random() < 0.3 ? this.pickOr(this.roles, 'default_access') : 'default_access';
    return {
      type: 'InviteMember',
      data: { userId, email: `${userId}@${this.organizationId}.test`, roleId },
      metadata: { actor: this.admin, now },
    };
  }

  /** A fresh id, remembered in `pool` when given. */
  private id(pool?: string[]): string {
    const id = `${this.organizationId}-${++this.serial}`;
    pool?.push(id);
    return id;
  }

  private kind(): Kind {
    let draw = this.random() * MIX_TOTAL;
    for (const [kind, weight] of MIX) {
      draw -= weight;
      if (draw < 0) return kind;
    }
    return 'InviteMember';
  }

  private permissions(): string[] {
    return CATALOG.filter(() => this.random() < 0.5);
  }

  /** A random id of `pool` that still `exists`, or undefined after a few misses. */
  private live(pool: readonly string[], exists: (id: string) => boolean): string | undefined {
    for (let attempt = 0; attempt < 4 && pool.length > 0; attempt++) {
      const id = pool[Math.floor(this.random() * pool.length)];
      if (exists(id)) return id;
    }
    return undefined;
  }

  /** Removes and returns a random element. */
  private take(pool: string[]): string | undefined {
    if (pool.length === 0) return undefined;
    const index = Math.floor(this.random() * pool.length);
    const [taken] = pool.splice(index, 1);
    return taken;
  }

  private pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.random() * items.length)];
  }

  private pickOr(items: readonly string[], fallback: string): string {
    return items.length === 0 ? fallback : this.pick(items);
  }

  /** One of the first few items, so that large maps are never copied to draw from them. */
  private nearFirst<T>(items: Iterable<T> | undefined): T | undefined {
    if (!items) return undefined;
    const skip = Math.floor(this.random() * 4);
    let chosen: T | undefined;
    let index = 0;
    for (const item of items) {
      chosen = item;
      if (index++ >= skip) break;
    }
    return chosen;
  }
}

/** A small, fast, seedable PRNG, so a history can be generated again identically. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
