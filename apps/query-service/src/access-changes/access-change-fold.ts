import {
  effectiveAccess,
  HELD,
  isItemScope,
  isOrgAdmin,
  itemAccess,
  principalKey,
  scopeItem,
  workspaceRoleAtLeast,
  type AccessItem,
  type AccessScope,
  type ItemScope,
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
 * Only the touched items are asked, so the cost follows the window, not the organization: a
 * member's own events ask about what that member can reach (memberReach below), not every
 * project. An item already tracked is not asked before an event either: the last evaluation
 * left its current value in `after`. The touch sets (touchesOf() below) are a conservative
 * superset; the property test compares the result with a brute-force diff of two full folds on
 * random histories.
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
  /** The value at `from`; undefined for none. */
  before: string | undefined;
  after: string | undefined;
  cause?: AccessChangeCause;
}

/** One subject's tracked items, by item. */
interface TrackedSubject {
  subject: Subject;
  /** subjectKey(subject), made once for all its changes. */
  key: string;
  items: Map<AccessItem, Tracked>;
}

/**
 * Per subject type, by subject id. Nested rather than one map keyed `subject item`: a long
 * window tracks hundreds of thousands of items, and a key built per lookup — a fresh string
 * to flatten and hash, then a probe into one huge table — was most of the fold's time. Ids and
 * items are strings the state, the events and the touch sets already hold (hashed once).
 */
type BySubject<T> = Record<Subject['type'], Map<string, T>>;

/** A subject an event can affect: its scopes to ask (by scopeKey, each once per event). */
interface Touched {
  subject: Subject;
  scopes: Map<string, AccessScope>;
  /** scopeKey -> the answer before the event, for what is not known already. */
  before: Map<string, ReadonlyMap<AccessItem, string> | string | undefined>;
}

type Touches = BySubject<Touched>;

const SUBJECT_TYPES: readonly Subject['type'][] = ['user', 'api_key'];

/** For a one-item scope, the item itself, so that its tracked value is found by the key. */
const scopeKey = (scope: AccessScope): string =>
  isItemScope(scope) ? scopeItem(scope) : scope.kind;

const ALL: AccessScope = { kind: 'all' };
const PERMISSIONS: AccessScope = { kind: 'permissions' };

export class AccessChangeFold {
  private readonly tracked: BySubject<TrackedSubject> = { user: new Map(), api_key: new Map() };
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
    // Before the event, what is not known already: the items of a scope, or a one-item
    // scope's value (a role, or undefined for none).
    for (const type of SUBJECT_TYPES) {
      for (const { subject, scopes, before } of touches[type].values()) {
        if (subject.type === 'user') {
          const email = this.state.members.get(subject.id)?.email;
          if (email !== undefined) this.emails.set(subject.id, email);
        }
        const items = this.tracked[type].get(subject.id)?.items;
        for (const [key, scope] of scopes) {
          if (!isItemScope(scope)) {
            before.set(key, effectiveAccess(this.state, subject, scope, now));
          } else if (!items?.has(key)) {
            before.set(key, itemAccess(this.state, subject, scope));
          } // else tracked: its `after` is its value now, as the last evaluation left it
        }
      }
    }
    organizationDecider.evolve(this.state, domainEvent);
    // A member's own event changes no group, workspace or project membership, but it can make
    // them an org admin: their reach after it is asked too (the union). What is reached only
    // after was held by nothing before (the reach before covered all they held then).
    const member = memberEventUser(domainEvent);
    if (member !== undefined) {
      const subject: Subject = { type: 'user', id: member };
      memberReach(this.state, member, (scope) => touch(touches, subject, scope));
    }
    const cause = eventRef(event);
    for (const type of SUBJECT_TYPES) {
      for (const { subject, scopes, before } of touches[type].values()) {
        for (const [key, scope] of scopes) {
          if (!isItemScope(scope)) {
            const was = before.get(key) as ReadonlyMap<AccessItem, string>;
            this.record(subject, was, effectiveAccess(this.state, subject, scope, now), cause);
            continue;
          }
          // Not asked before: tracked (its last value), or reached only after (nothing).
          const was = before.has(key)
            ? (before.get(key) as string | undefined)
            : this.tracked[type].get(subject.id)?.items.get(key)?.after;
          this.recordItem(subject, key, was, itemAccess(this.state, subject, scope), cause);
        }
      }
    }
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
    for (const type of SUBJECT_TYPES) {
      for (const tracked of this.tracked[type].values()) {
        for (const [item, t] of tracked.items) {
          if (t.before === t.after || !t.cause) continue;
          changes.push(this.describe(tracked, item, t));
        }
      }
    }
    return changes.sort(compareChanges);
  }

  private record(
    subject: Subject,
    before: ReadonlyMap<AccessItem, string>,
    after: ReadonlyMap<AccessItem, string>,
    cause: AccessChangeCause,
  ): void {
    for (const [item, was] of before) this.recordItem(subject, item, was, after.get(item), cause);
    for (const [item, is] of after) {
      if (!before.has(item)) this.recordItem(subject, item, undefined, is, cause);
    }
  }

  /** One item's value before and after a moment. */
  private recordItem(
    subject: Subject,
    item: AccessItem,
    was: string | undefined,
    is: string | undefined,
    cause: AccessChangeCause,
  ): void {
    if (was === is) return; // unchanged: a tracked item keeps its value, an untracked one stays so
    const bySubject = this.tracked[subject.type];
    let tracked = bySubject.get(subject.id);
    if (!tracked) {
      tracked = { subject, key: subjectKey(subject), items: new Map() };
      bySubject.set(subject.id, tracked);
    }
    let t = tracked.items.get(item);
    if (!t) tracked.items.set(item, (t = { before: was, after: was }));
    t.after = is;
    t.cause = cause;
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

  private describe(
    { subject, key }: TrackedSubject,
    item: AccessItem,
    { before, after, cause }: Tracked,
  ): AccessChange {
    const colon = item.indexOf(':');
    const prefix = item.slice(0, colon);
    const id = item.slice(colon + 1);
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
      subject: key,
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

function touch(touches: Touches, subject: Subject, scope: AccessScope): void {
  const bySubject = touches[subject.type];
  let entry = bySubject.get(subject.id);
  if (!entry)
    bySubject.set(subject.id, (entry = { subject, scopes: new Map(), before: new Map() }));
  entry.scopes.set(scopeKey(scope), scope);
}

/** The member whose own event it is (status and role), whose reach is asked after it too. */
function memberEventUser(event: OrganizationEvent): string | undefined {
  switch (event.type) {
    case 'MemberInvited':
    case 'MemberActivated':
    case 'MemberRoleChanged':
    case 'MemberDeactivated':
    case 'MemberReactivated':
    case 'MemberRemoved':
      return event.data.userId;
    default:
      return undefined;
  }
}

/**
 * Every workspace and project a member could hold a role on, a superset of what the engine
 * answers them (it decides; this only says where to look): the workspaces where they or their
 * groups hold a role, the projects they or their groups own or are members of, the projects of
 * workspaces where they or their groups are editors or admins (R28), and every project while
 * they are an org admin. The state's indexes give it without a scan of the organization, so a
 * member's event costs what that member reaches, not the number of projects.
 */
function memberReach(
  state: OrganizationState,
  userId: string,
  touchScope: (scope: ItemScope) => void,
): void {
  const principals = [
    principalKey({ type: 'user', id: userId }),
    ...[...(state.groupsByUser.get(userId) ?? [])].map((groupId) =>
      principalKey({ type: 'group', id: groupId }),
    ),
  ];
  for (const key of principals) {
    for (const projectId of state.projectsByPrincipal.get(key) ?? []) {
      touchScope({ kind: 'project', projectId });
    }
    for (const workspaceId of state.workspacesByPrincipal.get(key) ?? []) {
      touchScope({ kind: 'workspace', workspaceId });
      const workspace = state.workspaces.get(workspaceId);
      if (!workspaceRoleAtLeast(workspace?.principals.get(key)?.role, 'editor')) continue;
      for (const projectId of workspace!.projectIds) touchScope({ kind: 'project', projectId });
    }
  }
  if (isOrgAdmin(state, userId)) {
    for (const projectId of state.projects.keys()) touchScope({ kind: 'project', projectId });
  }
}

/**
 * The subjects and items an event can change, read from the state before it and the event's
 * own data (after it, a removed member or group is gone). Deliberately wide where narrowing
 * would restate a rule. A member's own events ask their permissions and their reach, before the
 * event and again after it (apply() adds the reach after).
 */
function touchesOf(state: OrganizationState, event: OrganizationEvent): Touches {
  const touches: Touches = { user: new Map(), api_key: new Map() };
  const user = (userId: string, scope: AccessScope) =>
    touch(touches, { type: 'user', id: userId }, scope);
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
      for (const keyId of state.apiKeys.keys()) {
        touch(touches, { type: 'api_key', id: keyId }, PERMISSIONS);
      }
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
      // Status and role decide everything a member holds, within their reach.
      user(event.data.userId, PERMISSIONS);
      memberReach(state, event.data.userId, (scope) => user(event.data.userId, scope));
      break;
    case 'ApiKeyIssued':
    case 'ApiKeyRevoked':
      touch(touches, { type: 'api_key', id: event.data.keyId }, PERMISSIONS);
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
