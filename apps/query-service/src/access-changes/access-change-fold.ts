import {
  effectiveAccess,
  HELD,
  principalKey,
  type AccessItem,
  type AccessScope,
  type EventRef,
  type Principal,
  type Subject,
} from '#libs/access';
import { organizationDecider, type OrganizationEvent, type OrganizationState } from '#libs/domain';
import type { RecordedEvent } from '#libs/event-store';

/*
 * R39's algorithm. Start from the organization as it was at `from` and fold the window's events
 * one by one with the domain's own evolve. Around each event, ask the engine (effectiveAccess)
 * about the subjects and items that event can affect — before it and after it — and keep, per
 * item, the value it had at `from` (the first time it is asked: nothing touched it earlier, so
 * the value just before is the value at `from`) and the last event that changed it. What
 * differs at the end is a change, caused by that last event: the one after which the item's
 * value became, and stayed, its final value.
 *
 * Only the touched items are asked, so the cost follows the window, not the organization. The
 * touch sets (touches() below) are a conservative superset; the property test compares the
 * result with a brute-force diff of two full folds on random histories.
 */

export type AccessChangeKind = 'permission' | 'project_role' | 'workspace_role';

/** An API key's expiry is no event: time passing is the cause (R15). */
export interface ExpiryCause {
  eventId: null;
  type: 'expiry';
  actor: null;
  /** The key's `expiresAt`. */
  time: string;
  position: null;
}

export type AccessChangeCause = EventRef | ExpiryCause;

export interface AccessChange {
  /** `user:<userId>` or `apiKey:<keyId>`. */
  subject: string;
  /** For a member. */
  email?: string;
  /** For an API key. */
  name?: string;
  kind: AccessChangeKind;
  /** The permission, or `project:<id>`, or `workspace:<id>`. */
  item: string;
  /** The project's or workspace's name. */
  itemName?: string;
  change: 'gained' | 'lost' | 'changed';
  /** Permissions: whether it was held; roles: the role, or null. */
  before: boolean | string | null;
  after: boolean | string | null;
  cause: AccessChangeCause;
}

interface Tracked {
  subject: Subject;
  item: AccessItem;
  /** The value at `from`; undefined for none. */
  before: string | undefined;
  after: string | undefined;
  cause?: AccessChangeCause;
}

type Touches = Map<string, { subject: Subject; scopes: AccessScope[] }>;

const ALL: AccessScope = { kind: 'all' };
const PERMISSIONS: AccessScope = { kind: 'permissions' };

export class AccessChangeFold {
  private readonly tracked = new Map<string, Tracked>();
  /** The last email of each member seen, for members removed in the window. */
  private readonly emails = new Map<string, string>();
  /** Expiry instants still ahead (ms), earliest first. */
  private readonly expiries: { at: number; keyId: string; expiresAt: string }[] = [];

  /**
   * @param state the organization at `from`; folded further in place (evolve updates in place)
   * @param fromTime the instant access at `from` is judged at (keys expire, R15)
   */
  constructor(
    private readonly state: OrganizationState,
    fromTime: string,
  ) {
    const from = Date.parse(fromTime);
    for (const key of state.apiKeys.values()) this.expiresAfter(key.keyId, from);
  }

  /** Folds the next event of the window (in stream order). */
  apply(event: RecordedEvent): void {
    this.expireUntil(event.recordedAt);
    const domainEvent = event as unknown as OrganizationEvent;
    const touches = touchesOf(this.state, domainEvent);
    const now = event.recordedAt;
    const before = [...touches.values()].map(({ subject, scopes }) => {
      if (subject.type === 'user') {
        const email = this.state.members.get(subject.id)?.email;
        if (email !== undefined) this.emails.set(subject.id, email);
      }
      return scopes.map((scope) => effectiveAccess(this.state, subject, scope, now));
    });
    organizationDecider.evolve(this.state, domainEvent);
    const cause = eventRef(event);
    [...touches.values()].forEach(({ subject, scopes }, i) => {
      scopes.forEach((scope, j) => {
        this.record(subject, before[i][j], effectiveAccess(this.state, subject, scope, now), cause);
      });
    });
    if (domainEvent.type === 'ApiKeyIssued') {
      this.expiresAfter(domainEvent.data.keyId, Date.parse(now));
    }
  }

  /**
   * The changes between `from` and `toTime` (the instant access at `to` is judged at), sorted
   * by subject, kind and item. Names are the organization's at `to`, or the last seen.
   */
  finish(toTime: string): AccessChange[] {
    this.expireUntil(toTime);
    const changes: AccessChange[] = [];
    for (const t of this.tracked.values()) {
      if (t.before === t.after || !t.cause) continue;
      changes.push(this.describe(t));
    }
    return changes.sort(compareChanges);
  }

  private record(
    subject: Subject,
    before: Map<AccessItem, string>,
    after: Map<AccessItem, string>,
    cause: AccessChangeCause,
  ): void {
    const prefix = subjectKey(subject);
    for (const item of new Set([...before.keys(), ...after.keys()])) {
      const was = before.get(item);
      const is = after.get(item);
      const key = `${prefix} ${item}`;
      let t = this.tracked.get(key);
      if (!t) {
        if (was === is) continue; // unchanged and never seen: nothing to remember
        t = { subject, item, before: was, after: was };
        this.tracked.set(key, t);
      }
      if (was !== is) {
        t.after = is;
        t.cause = cause;
      }
    }
  }

  private expiresAfter(keyId: string, after: number): void {
    const expiresAt = this.state.apiKeys.get(keyId)?.expiresAt ?? null;
    const at = expiresAt === null ? NaN : Date.parse(expiresAt);
    if (Number.isNaN(at) || at <= after) return;
    let i = this.expiries.length;
    while (i > 0 && this.expiries[i - 1].at > at) i--;
    this.expiries.splice(i, 0, { at, keyId, expiresAt: expiresAt! });
  }

  /** Keys whose expiry has come by `time` lose what they held, caused by time itself (R15). */
  private expireUntil(time: string): void {
    const until = Date.parse(time);
    while (this.expiries.length > 0 && this.expiries[0].at <= until) {
      const { at, keyId, expiresAt } = this.expiries.shift()!;
      const subject: Subject = { type: 'api_key', id: keyId };
      const justBefore = new Date(at - 1).toISOString();
      this.record(
        subject,
        effectiveAccess(this.state, subject, PERMISSIONS, justBefore),
        effectiveAccess(this.state, subject, PERMISSIONS, new Date(at).toISOString()),
        { eventId: null, type: 'expiry', actor: null, time: expiresAt, position: null },
      );
    }
  }

  private describe({ subject, item, before, after, cause }: Tracked): AccessChange {
    const [prefix, ...rest] = item.split(':');
    const id = rest.join(':');
    const kind: AccessChangeKind =
      prefix === 'permission'
        ? 'permission'
        : prefix === 'project'
          ? 'project_role'
          : 'workspace_role';
    const value = (v: string | undefined) =>
      kind === 'permission' ? v === HELD : v === undefined ? null : v;
    const itemName =
      prefix === 'project'
        ? this.state.projects.get(id)?.name
        : prefix === 'workspace'
          ? this.state.workspaces.get(id)?.name
          : undefined;
    return {
      subject: subjectKey(subject),
      ...(subject.type === 'user'
        ? { email: this.state.members.get(subject.id)?.email ?? this.emails.get(subject.id) }
        : { name: this.state.apiKeys.get(subject.id)?.name }),
      kind,
      item: kind === 'permission' ? id : item,
      ...(itemName !== undefined && { itemName }),
      change: before === undefined ? 'gained' : after === undefined ? 'lost' : 'changed',
      before: value(before),
      after: value(after),
      cause: cause!,
    };
  }
}

export const subjectKey = (subject: Subject): string =>
  subject.type === 'user' ? `user:${subject.id}` : `apiKey:${subject.id}`;

const KIND_ORDER: Record<AccessChangeKind, number> = {
  permission: 0,
  project_role: 1,
  workspace_role: 2,
};

/** By subject, kind and item, in code-unit order: the same bytes for the same history. */
export function compareChanges(a: AccessChange, b: AccessChange): number {
  if (a.subject !== b.subject) return a.subject < b.subject ? -1 : 1;
  if (a.kind !== b.kind) return KIND_ORDER[a.kind] - KIND_ORDER[b.kind];
  return a.item < b.item ? -1 : a.item > b.item ? 1 : 0;
}

function eventRef(event: RecordedEvent): EventRef {
  return {
    eventId: event.id,
    type: event.type,
    actor: { type: event.metadata.actor.type, id: event.metadata.actor.id },
    time: event.recordedAt,
    position: event.position,
  };
}

/**
 * The subjects and items an event can change, read from the state before it and the event's
 * own data (after it, a removed member or group is gone). Deliberately wide where narrowing
 * would restate a rule: a member's own events re-ask everything of that member.
 */
function touchesOf(state: OrganizationState, event: OrganizationEvent): Touches {
  const touches: Touches = new Map();
  const touch = (subject: Subject, scope: AccessScope) => {
    const key = subjectKey(subject);
    let entry = touches.get(key);
    if (!entry) touches.set(key, (entry = { subject, scopes: [] }));
    entry.scopes.push(scope);
  };
  const user = (userId: string, scope: AccessScope) => touch({ type: 'user', id: userId }, scope);
  const usersOf = (principal: Principal): Iterable<string> =>
    principal.type === 'user' ? [principal.id] : (state.groups.get(principal.id)?.members ?? []);
  /** A workspace role also grants `viewer` on the workspace's projects to editors (R28). */
  const workspaceScopes = (workspaceId: string): AccessScope[] => [
    { kind: 'workspace', workspaceId },
    ...[...(state.workspaces.get(workspaceId)?.projectIds ?? [])].map((projectId): AccessScope => ({
      kind: 'project',
      projectId,
    })),
  ];
  /** Everything a group's roles reach: its workspaces (and their projects) and projects. */
  const groupScopes = (groupId: string): AccessScope[] => {
    const key = principalKey({ type: 'group', id: groupId });
    return [
      ...[...(state.workspacesByPrincipal.get(key) ?? [])].flatMap(workspaceScopes),
      ...[...(state.projectsByPrincipal.get(key) ?? [])].map((projectId): AccessScope => ({
        kind: 'project',
        projectId,
      })),
    ];
  };
  /** Whoever may hold a role on the project: its principals, its workspace's, org admins. */
  const projectHolders = (projectId: string, workspaceId: string, owner?: Principal) => {
    const project = state.projects.get(projectId);
    const principals = [
      ...(owner ? [owner] : []),
      ...(project ? [project.owner, ...[...project.members.values()].map((m) => m.principal)] : []),
      ...[...(state.workspaces.get(workspaceId)?.principals.values() ?? [])].map(
        (held) => held.principal,
      ),
    ];
    const users = new Set(state.activeFullAccess);
    for (const principal of principals) for (const userId of usersOf(principal)) users.add(userId);
    for (const userId of users) user(userId, { kind: 'project', projectId });
  };

  switch (event.type) {
    case 'OrganizationCreated':
      user(event.data.firstMember.userId, ALL);
      break;
    case 'CatalogPermissionsAdded':
    case 'CatalogPermissionsRemoved':
      // R2, R4: built-in roles and key effective permissions follow the catalog.
      for (const userId of state.members.keys()) user(userId, PERMISSIONS);
      for (const keyId of state.apiKeys.keys()) touch({ type: 'api_key', id: keyId }, PERMISSIONS);
      break;
    case 'RoleCreated':
    case 'RoleUpdated':
    case 'RoleDeleted':
      for (const userId of state.holdersByRole.get(event.data.roleId) ?? []) {
        user(userId, PERMISSIONS);
      }
      break;
    case 'MemberInvited':
    case 'MemberActivated':
    case 'MemberRoleChanged':
    case 'MemberDeactivated':
    case 'MemberReactivated':
    case 'MemberRemoved':
      // Status and role decide everything a member holds (org admins view every project).
      user(event.data.userId, ALL);
      break;
    case 'ApiKeyIssued':
    case 'ApiKeyRevoked':
      touch({ type: 'api_key', id: event.data.keyId }, PERMISSIONS);
      break;
    case 'GroupDeleted':
      for (const userId of state.groups.get(event.data.groupId)?.members ?? []) {
        for (const scope of groupScopes(event.data.groupId)) user(userId, scope);
      }
      break;
    case 'GroupMembersAdded':
      for (const userId of event.data.userIds) {
        for (const scope of groupScopes(event.data.groupId)) user(userId, scope);
      }
      break;
    case 'GroupMemberRemoved':
      for (const scope of groupScopes(event.data.groupId)) user(event.data.userId, scope);
      break;
    case 'DirectoryMembershipSynced':
      for (const groupId of [...event.data.joined, ...event.data.left]) {
        for (const scope of groupScopes(groupId)) user(event.data.userId, scope);
      }
      break;
    case 'WorkspacePrincipalAdded':
    case 'WorkspacePrincipalRoleChanged':
    case 'WorkspacePrincipalRemoved':
      for (const userId of usersOf(event.data.principal)) {
        for (const scope of workspaceScopes(event.data.workspaceId)) user(userId, scope);
      }
      break;
    case 'ProjectCreated':
      projectHolders(event.data.projectId, event.data.workspaceId, event.data.owner);
      break;
    case 'ProjectDeleted': {
      const project = state.projects.get(event.data.projectId);
      if (project) projectHolders(project.projectId, project.workspaceId);
      break;
    }
    case 'ProjectMemberAdded':
    case 'ProjectMemberRoleChanged':
      for (const userId of usersOf(event.data.principal)) {
        user(userId, { kind: 'project', projectId: event.data.projectId });
      }
      break;
    case 'ProjectMembersRemoved':
      for (const principal of event.data.principals) {
        for (const userId of usersOf(principal)) {
          user(userId, { kind: 'project', projectId: event.data.projectId });
        }
      }
      break;
    case 'OwnershipTransferred':
      for (const principal of [event.data.from, event.data.to]) {
        for (const userId of usersOf(principal)) {
          user(userId, { kind: 'project', projectId: event.data.projectId });
        }
      }
      break;
    default:
      // Renames, group creation, workspaces created empty, dashboards: no access changes.
      break;
  }
  return touches;
}
