import type { ProvenanceEvent } from '#libs/access';
import {
  organizationDecider,
  type OrganizationEvent,
  type ProjectMemberRole,
  type WorkspaceRole,
} from '#libs/domain';
import type { EventStore, NewEvent } from '#libs/event-store';
import { mulberry32 } from './organization-script.js';

/*
 * One organization of the size docs/benchmarks.md#targets names for checks (100,000 members, 1,000
 * groups, 10,000 projects), kept twice: as plain facts (arrays of indexes, no Map keyed by
 * `user:<id>`, nothing from libs/access or libs/domain's access helpers), from which the bench's
 * oracle and its precomputed-map limit answer; and as the OrganizationEvents those facts stand for,
 * which the bench folds with the domain's own evolve (and Provenance) to get the graph the engine
 * reads. The two meet only in the bench's comparison of every answer, so a bug on either side
 * shows.
 */

export interface DatasetShape {
  members: number;
  groups: number;
  projects: number;
  /** Default workspace included. */
  workspaces: number;
  queries: number;
  seed: number;
}

export const FULL_SHAPE: DatasetShape = {
  members: 100_000,
  groups: 1_000,
  projects: 10_000,
  workspaces: 50,
  queries: 200_000,
  seed: 9,
};

/** Workspace ranks: 0 none, then member < user < editor < admin (R22). */
const WORKSPACE_RANK: readonly WorkspaceRole[] = ['member', 'user', 'editor', 'admin'];
export const EDITOR = 3;
export const ADMIN = 4;
/** Project ranks: 0 none, 1 viewer, 2 user, 3 owner (R28). */
export const PROJECT_ROLE_NAMES = [undefined, 'viewer', 'user', 'owner'] as const;
const MEMBER_ROLE: readonly ProjectMemberRole[] = ['viewer', 'user'];

export const STATUS_ACTIVE = 0;
export const STATUS_DEACTIVATED = 1;
export const STATUS_INVITED = 2;

export interface ProjectFacts {
  id: string;
  workspace: number;
  /** Exactly one of the two is >= 0 (R25). */
  ownerUser: number;
  ownerGroup: number;
  /** The user the project was created by (its first owner), for OwnershipTransferred. */
  creator: number;
  /** user index -> 1 viewer | 2 user */
  direct: Map<number, number>;
  /** group index -> 1 viewer | 2 user */
  groups: Map<number, number>;
  live: boolean;
}

export type QueryKind = 'direct' | 'group' | 'random';
export const QUERY_KINDS: readonly QueryKind[] = ['direct', 'group', 'random'];
export type BenchAction = 'view' | 'edit' | 'manage_members';

export interface Facts {
  shape: DatasetShape;
  organizationId: string;
  defaultWorkspaceId: string;
  userIds: string[];
  emails: string[];
  status: Uint8Array;
  /** Active members whose role is full_access (docs/rules.md, Concepts). */
  orgAdmin: Uint8Array;
  /** Members given full_access, of any status (a deactivated one is no org admin). */
  fullAccess: Uint8Array;
  userGroups: number[][];
  groupIds: string[];
  groupMembers: number[][];
  workspaceIds: string[];
  /** Per workspace: user index -> workspace rank (1..4). */
  workspaceUsers: Map<number, number>[];
  /** Per workspace: group index -> workspace rank (1..4). */
  workspaceGroups: Map<number, number>[];
  projects: ProjectFacts[];
  queryUser: Int32Array;
  queryProject: Int32Array;
  queryKind: Uint8Array;
  queryAction: BenchAction[];
}

/** Deterministic facts for a shape: the same seed gives the same organization and queries. */
export function generateFacts(shape: DatasetShape): Facts {
  const random = mulberry32(shape.seed);
  const int = (n: number) => Math.floor(random() * n);
  const uuid = () => {
    const hex = () =>
      Math.floor(random() * 2 ** 32)
        .toString(16)
        .padStart(8, '0');
    const [a, b, c, d] = [hex(), hex(), hex(), hex()];
    return `${a}-${b.slice(0, 4)}-4${b.slice(4, 7)}-a${c.slice(0, 3)}-${c.slice(3)}${d.slice(0, 7)}`;
  };
  /** `count` distinct indexes below `n`, none in `except`. */
  const distinct = (count: number, n: number, except: ReadonlySet<number> = new Set()) => {
    const chosen = new Set<number>();
    while (chosen.size < count) {
      const i = int(n);
      if (!except.has(i)) chosen.add(i);
    }
    return [...chosen];
  };

  const organizationId = uuid();
  const { members, groups, projects, workspaces } = shape;
  const userIds = Array.from({ length: members }, uuid);
  const emails = userIds.map((id) => `${id}@bench.test`);

  // 1% deactivated and 0.5% never signed in, so the engine's status check is on the path; the
  // first user (the org's creator) stays active.
  const status = new Uint8Array(members);
  for (let u = 1; u < members; u++) {
    const draw = random();
    status[u] = draw < 0.01 ? STATUS_DEACTIVATED : draw < 0.015 ? STATUS_INVITED : STATUS_ACTIVE;
  }
  // Org admins: the first user (R1) and two more, plus one full_access member who is
  // deactivated, hence no org admin (an org admin is an active member).
  const fullAccess = new Uint8Array(members);
  const orgAdmin = new Uint8Array(members);
  for (const u of [0, 1, 2, 3]) fullAccess[u] = 1;
  status[1] = status[2] = STATUS_ACTIVE;
  status[3] = STATUS_DEACTIVATED;
  for (let u = 0; u < members; u++) orgAdmin[u] = fullAccess[u] && status[u] === 0 ? 1 : 0;

  const groupIds = Array.from({ length: groups }, uuid);
  const groupMembers: number[][] = groupIds.map(() => []);
  const userGroups: number[][] = userIds.map((_, u) =>
    distinct(int(4), groups).map((g) => {
      groupMembers[g].push(u);
      return g;
    }),
  );

  const defaultWorkspaceId = uuid();
  const workspaceIds = [defaultWorkspaceId, ...Array.from({ length: workspaces - 1 }, uuid)];
  const workspaceUsers = workspaceIds.map(() => new Map<number, number>());
  const workspaceGroups = workspaceIds.map(() => new Map<number, number>());
  // CreateOrganization makes its first user admin of the Default workspace.
  workspaceUsers[0].set(0, ADMIN);
  for (let w = 0; w < workspaces; w++) {
    for (const u of distinct(20, members, new Set([0]))) workspaceUsers[w].set(u, 1 + int(4));
    for (const g of distinct(2, groups)) workspaceGroups[w].set(g, 1 + int(4));
  }

  const projectFacts: ProjectFacts[] = [];
  for (let p = 0; p < projects; p++) {
    const creator = int(members);
    const direct = new Map<number, number>();
    for (const u of distinct(3 + int(5), members, new Set([creator]))) {
      direct.set(u, random() < 0.7 ? 1 : 2);
    }
    const memberGroups = new Map<number, number>();
    for (const g of distinct(1 + int(3), groups)) memberGroups.set(g, random() < 0.7 ? 1 : 2);
    const project: ProjectFacts = {
      id: uuid(),
      workspace: int(workspaces),
      ownerUser: creator,
      ownerGroup: -1,
      creator,
      direct,
      groups: memberGroups,
      live: true,
    };
    // 3% handed to one of their member groups (OwnershipTransferred, R25): the group leaves the
    // members, the previous owner stays as `user`; 1% deleted (tombstones, R24).
    const draw = random();
    if (draw < 0.03) {
      const [to] = memberGroups.keys();
      memberGroups.delete(to);
      direct.set(creator, 2);
      project.ownerUser = -1;
      project.ownerGroup = to;
    } else if (draw < 0.04) {
      project.live = false;
    }
    projectFacts.push(project);
  }

  // A third direct grants (the owner included), a third through a group, a third random pairs.
  const n = shape.queries;
  const queryUser = new Int32Array(n);
  const queryProject = new Int32Array(n);
  const queryKind = new Uint8Array(n);
  const queryAction: BenchAction[] = [];
  for (let i = 0; i < n; i++) {
    const kind = i % 3;
    let p = int(projects);
    let u: number;
    if (kind === 0) {
      const { direct, ownerUser } = projectFacts[p];
      const holders = ownerUser >= 0 ? [ownerUser, ...direct.keys()] : [...direct.keys()];
      u = holders[int(holders.length)];
    } else if (kind === 1) {
      let holders: number[] = [];
      while (holders.length === 0) {
        const { groups: held, ownerGroup } = projectFacts[p];
        const options = ownerGroup >= 0 ? [ownerGroup, ...held.keys()] : [...held.keys()];
        holders = groupMembers[options[int(options.length)]];
        if (holders.length === 0) p = int(projects);
      }
      u = holders[int(holders.length)];
    } else {
      // 2% of them by the four full_access members, so that the org-admin path answers yes
      // often enough to be compared (three active admins in 100,000 would rarely be drawn).
      u = random() < 0.02 ? int(4) : int(members);
    }
    const draw = random();
    queryUser[i] = u;
    queryProject[i] = p;
    queryKind[i] = kind;
    queryAction.push(draw < 0.7 ? 'view' : draw < 0.85 ? 'edit' : 'manage_members');
  }
  // Shuffled, so the engine never sees the kinds in a fixed rotation.
  for (let i = n - 1; i > 0; i--) {
    const j = int(i + 1);
    [queryUser[i], queryUser[j]] = [queryUser[j], queryUser[i]];
    [queryProject[i], queryProject[j]] = [queryProject[j], queryProject[i]];
    [queryKind[i], queryKind[j]] = [queryKind[j], queryKind[i]];
    [queryAction[i], queryAction[j]] = [queryAction[j], queryAction[i]];
  }

  return {
    shape,
    organizationId,
    defaultWorkspaceId,
    userIds,
    emails,
    status,
    orgAdmin,
    fullAccess,
    userGroups,
    groupIds,
    groupMembers,
    workspaceIds,
    workspaceUsers,
    workspaceGroups,
    projects: projectFacts,
    queryUser,
    queryProject,
    queryKind,
    queryAction,
  };
}

/**
 * The facts as the organization's history, in an order the decider could have produced:
 * CreateOrganization decided by the real decider, then members, groups, workspaces, projects.
 * A pure function of the facts, so it can be replayed (once for the state, once for
 * provenance) without keeping 300,000 events alive.
 */
export function* organizationEvents(facts: Facts): Generator<OrganizationEvent> {
  const { userIds, groupIds, workspaceIds, projects } = facts;
  const admin = userIds[0];
  yield* organizationDecider.decide(
    {
      type: 'CreateOrganization',
      data: {
        organizationId: facts.organizationId,
        name: 'Checks bench',
        catalog: ['checks.read', 'checks.write'],
        firstUser: { userId: admin, email: facts.emails[0] },
        defaultWorkspaceId: facts.defaultWorkspaceId,
      },
      metadata: { actor: { type: 'support', id: 'support-bench' }, now: EPOCH },
    },
    organizationDecider.initialState(),
  );
  for (let u = 1; u < userIds.length; u++) {
    const userId = userIds[u];
    yield {
      type: 'MemberInvited',
      data: { userId, email: facts.emails[u], roleId: 'default_access', invitedBy: admin },
    };
    if (facts.status[u] !== STATUS_INVITED) {
      yield {
        type: 'MemberActivated',
        data: { userId, subject: `sub-${userId}`, issuer: 'bench-issuer' },
      };
    }
    if (facts.fullAccess[u]) {
      yield {
        type: 'MemberRoleChanged',
        data: { userId, roleId: 'full_access', previousRoleId: 'default_access' },
      };
    }
    if (facts.status[u] === STATUS_DEACTIVATED)
      yield { type: 'MemberDeactivated', data: { userId } };
  }
  for (let g = 0; g < groupIds.length; g++) {
    const groupId = groupIds[g];
    yield { type: 'GroupCreated', data: { groupId, name: `Group ${g}` } };
    // In chunks of 100, as the API's batch would add them.
    const held = facts.groupMembers[g];
    for (let i = 0; i < held.length; i += 100) {
      const chunk = held.slice(i, i + 100).map((u) => userIds[u]);
      yield { type: 'GroupMembersAdded', data: { groupId, userIds: chunk } };
    }
  }
  for (let w = 0; w < workspaceIds.length; w++) {
    const workspaceId = workspaceIds[w];
    if (w > 0) yield { type: 'WorkspaceCreated', data: { workspaceId, name: `Workspace ${w}` } };
    for (const [u, rank] of facts.workspaceUsers[w]) {
      if (w === 0 && u === 0) continue; // added by CreateOrganization
      yield {
        type: 'WorkspacePrincipalAdded',
        data: {
          workspaceId,
          principal: { type: 'user', id: userIds[u] },
          role: WORKSPACE_RANK[rank - 1],
        },
      };
    }
    for (const [g, rank] of facts.workspaceGroups[w]) {
      yield {
        type: 'WorkspacePrincipalAdded',
        data: {
          workspaceId,
          principal: { type: 'group', id: groupIds[g] },
          role: WORKSPACE_RANK[rank - 1],
        },
      };
    }
  }
  for (const project of projects) {
    const projectId = project.id;
    yield {
      type: 'ProjectCreated',
      data: {
        projectId,
        workspaceId: workspaceIds[project.workspace],
        name: `Project ${projectId}`,
        owner: { type: 'user', id: userIds[project.creator] },
      },
    };
    for (const [u, rank] of project.direct) {
      // The creator's `user` row after a transfer comes from OwnershipTransferred itself.
      if (u === project.creator) continue;
      yield {
        type: 'ProjectMemberAdded',
        data: {
          projectId,
          principal: { type: 'user', id: userIds[u] },
          role: MEMBER_ROLE[rank - 1],
        },
      };
    }
    const groupMembers: Array<[group: number, rank: number]> = [...project.groups];
    // The group that becomes owner was a member first (R25).
    if (project.ownerGroup >= 0) groupMembers.unshift([project.ownerGroup, 1]);
    for (const [g, rank] of groupMembers) {
      yield {
        type: 'ProjectMemberAdded',
        data: {
          projectId,
          principal: { type: 'group', id: groupIds[g] },
          role: MEMBER_ROLE[rank - 1],
        },
      };
    }
    if (project.ownerGroup >= 0) {
      yield {
        type: 'OwnershipTransferred',
        data: {
          projectId,
          from: { type: 'user', id: userIds[project.creator] },
          to: { type: 'group', id: groupIds[project.ownerGroup] },
        },
      };
    }
    if (!project.live) yield { type: 'ProjectDeleted', data: { projectId } };
  }
}

const EPOCH = '2026-01-01T00:00:00.000Z';
const EPOCH_MS = Date.parse(EPOCH);

/** An event as the store records it (id, position, actor, time): what Provenance folds. */
export function recorded(
  facts: Facts,
  event: OrganizationEvent,
  index: number,
  idPrefix = '00000000',
): ProvenanceEvent {
  return {
    id: eventId(idPrefix, index),
    type: event.type,
    data: event.data as unknown as Record<string, unknown>,
    metadata: { actor: { type: 'user', id: `sub-${facts.userIds[0]}` } },
    recordedAt: new Date(EPOCH_MS + index * 1000).toISOString(),
    position: String(index + 1),
  };
}

/** UUID-shaped and ordered, like the UUIDv7 ids the store's index prefers. */
export const eventId = (prefix: string, index: number): string =>
  `${prefix}-0000-7000-8000-${index.toString(16).padStart(12, '0')}`;

/**
 * Appends the organization's events to its stream, 1,000 per append, with ids in order, and
 * answers how many (the benches that serve the dataset through the app start from its events).
 */
export async function appendOrganization(store: EventStore, facts: Facts): Promise<number> {
  const { organizationId } = facts;
  const stream = `organization-${organizationId}`;
  const prefix = organizationId.slice(0, 8);
  let revision = -1;
  let batch: NewEvent[] = [];
  let index = 0;
  const flush = async () => {
    if (batch.length === 0) return;
    revision = (await store.append(stream, batch, revision < 0 ? 'no_stream' : revision)).revision;
    batch = [];
  };
  for (const event of organizationEvents(facts)) {
    batch.push({
      id: eventId(prefix, index++),
      type: event.type,
      data: event.data as unknown as Record<string, unknown>,
      metadata: {
        organizationId,
        schemaVersion: 1,
        actor: { type: 'system', id: 'bench' },
        correlationId: 'bench',
        causationId: 'bench',
      },
    });
    if (batch.length === 1000) await flush();
  }
  await flush();
  return index;
}
