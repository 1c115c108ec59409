import { principalKey, type Principal } from './principal.js';

/** The event that made an edge of the access graph what it is (R31). */
export interface EventRef {
  eventId: string;
  type: string;
  actor: { type: string; id: string };
  time: string;
  position: string;
}

/** What provenance needs of a stored event: the store's record, at its current version. */
export interface ProvenanceEvent {
  id: string;
  type: string;
  data: Record<string, unknown>;
  metadata: { actor: { type: string; id: string } };
  recordedAt: string;
  position: string;
}

/** The names of the edges that carry provenance, one per fact the access graph holds. */
export const Edge = {
  catalog: (permission: string) => `catalog:${permission}`,
  memberRole: (userId: string) => `member-role:${userId}`,
  memberStatus: (userId: string) => `member-status:${userId}`,
  role: (roleId: string) => `role:${roleId}`,
  groupMember: (groupId: string, userId: string) => `group-member:${groupId}:${userId}`,
  workspaceGrant: (workspaceId: string, principal: Principal) =>
    `workspace-grant:${workspaceId}:${principalKey(principal)}`,
  projectGrant: (projectId: string, principal: Principal) =>
    `project-grant:${projectId}:${principalKey(principal)}`,
  projectOwner: (projectId: string) => `project-owner:${projectId}`,
  apiKey: (keyId: string) => `api-key:${keyId}`,
  dashboard: (dashboardId: string) => `dashboard:${dashboardId}`,
} as const;

/**
 * The version of the provenance fold: bump it with any change to `edgesOf` or to EventRef, so
 * the history's snapshots made by the old fold are no longer read (ADR 19).
 */
export const PROVENANCE_FOLD_VERSION = 1;

/**
 * For every edge of the access graph — a member's role and status, a role's permissions, a
 * catalog permission, a group membership, a workspace or project grant, an ownership, a key's
 * snapshot, a dashboard's creator — the latest event that set it. Folded beside the state from
 * the same events, so an explanation names the very event each edge stands on.
 */
export class Provenance {
  private readonly edges = new Map<string, EventRef>();
  /**
   * Where the edges come from when they were not folded here (a snapshot's bytes, ADR 19),
   * loaded the first time an edge is asked for: most reads of the past never ask (only
   * explanations and access reviews do), and decoding every edge is half a snapshot's cost.
   */
  private load?: () => Iterable<[edge: string, ref: EventRef]>;
  /** What `record` folded before the edges were loaded, replayed over them in order. */
  private pending: [edge: string, ref: EventRef | null][] = [];

  of(edge: string): EventRef | null {
    return this.loaded().get(edge) ?? null;
  }

  get size(): number {
    return this.loaded().size;
  }

  /** Every edge and the event it stands on, to snapshot the fold (ADR 19). */
  entries(): IterableIterator<[edge: string, ref: EventRef]> {
    return this.loaded().entries();
  }

  /** A provenance holding exactly `entries`, as `entries()` gave them. */
  static restore(entries: Iterable<[edge: string, ref: EventRef]>): Provenance {
    const provenance = new Provenance();
    for (const [edge, ref] of entries) provenance.edges.set(edge, ref);
    return provenance;
  }

  /** As `restore`, with `load` called only if an edge is ever asked for. */
  static restoreLazily(load: () => Iterable<[edge: string, ref: EventRef]>): Provenance {
    const provenance = new Provenance();
    provenance.load = load;
    return provenance;
  }

  /** Folds one event (in stream order). */
  record(event: ProvenanceEvent): void {
    const ref: EventRef = {
      eventId: event.id,
      type: event.type,
      actor: { type: event.metadata.actor.type, id: event.metadata.actor.id },
      time: event.recordedAt,
      position: event.position,
    };
    for (const [edge, set] of edgesOf(event)) {
      if (this.load) this.pending.push([edge, set ? ref : null]);
      else if (set) this.edges.set(edge, ref);
      else this.edges.delete(edge);
    }
  }

  private loaded(): Map<string, EventRef> {
    const load = this.load;
    if (load) {
      this.load = undefined;
      for (const [edge, ref] of load()) this.edges.set(edge, ref);
      for (const [edge, ref] of this.pending) {
        if (ref) this.edges.set(edge, ref);
        else this.edges.delete(edge);
      }
      this.pending = [];
    }
    return this.edges;
  }
}

type Change = [edge: string, set: boolean];

interface Data {
  permissions: string[];
  catalog: string[];
  firstMember: { userId: string };
  userId: string;
  userIds: string[];
  roleId: string;
  keyId: string;
  groupId: string;
  joined: string[];
  left: string[];
  workspaceId: string;
  projectId: string;
  dashboardId: string;
  principal: Principal;
  principals: Principal[];
  from: Principal;
  to: Principal;
}

/** The edges an event sets (true) or removes (false). */
function edgesOf(event: ProvenanceEvent): Change[] {
  const d = event.data as unknown as Data;
  switch (event.type) {
    case 'OrganizationCreated':
      return [
        ...d.catalog.map((p): Change => [Edge.catalog(p), true]),
        [Edge.memberRole(d.firstMember.userId), true],
        [Edge.memberStatus(d.firstMember.userId), true],
      ];
    case 'CatalogPermissionsAdded':
      return d.permissions.map((p) => [Edge.catalog(p), true]);
    case 'CatalogPermissionsRemoved':
      return d.permissions.map((p) => [Edge.catalog(p), false]);
    case 'RoleCreated':
    case 'RoleUpdated':
      return [[Edge.role(d.roleId), true]];
    case 'RoleDeleted':
      return [[Edge.role(d.roleId), false]];
    case 'MemberInvited':
      return [
        [Edge.memberRole(d.userId), true],
        [Edge.memberStatus(d.userId), true],
      ];
    case 'MemberRoleChanged':
      return [[Edge.memberRole(d.userId), true]];
    case 'MemberActivated':
    case 'MemberDeactivated':
    case 'MemberReactivated':
      return [[Edge.memberStatus(d.userId), true]];
    case 'MemberRemoved':
      return [
        [Edge.memberRole(d.userId), false],
        [Edge.memberStatus(d.userId), false],
      ];
    case 'ApiKeyIssued':
    case 'ApiKeyRevoked':
      return [[Edge.apiKey(d.keyId), true]];
    case 'GroupMembersAdded':
      return d.userIds.map((userId) => [Edge.groupMember(d.groupId, userId), true]);
    case 'GroupMemberRemoved':
      return [[Edge.groupMember(d.groupId, d.userId), false]];
    case 'DirectoryMembershipSynced':
      return [
        ...d.joined.map((groupId): Change => [Edge.groupMember(groupId, d.userId), true]),
        ...d.left.map((groupId): Change => [Edge.groupMember(groupId, d.userId), false]),
      ];
    case 'WorkspacePrincipalAdded':
    case 'WorkspacePrincipalRoleChanged':
      return [[Edge.workspaceGrant(d.workspaceId, d.principal), true]];
    case 'WorkspacePrincipalRemoved':
      return [[Edge.workspaceGrant(d.workspaceId, d.principal), false]];
    case 'ProjectCreated':
      return [[Edge.projectOwner(d.projectId), true]];
    case 'ProjectMemberAdded':
    case 'ProjectMemberRoleChanged':
      return [[Edge.projectGrant(d.projectId, d.principal), true]];
    case 'ProjectMembersRemoved':
      return d.principals.map((principal) => [Edge.projectGrant(d.projectId, principal), false]);
    case 'OwnershipTransferred':
      // The new owner leaves the members; the previous one joins them as `user` (R25).
      return [
        [Edge.projectOwner(d.projectId), true],
        [Edge.projectGrant(d.projectId, d.from), true],
        [Edge.projectGrant(d.projectId, d.to), false],
      ];
    case 'DashboardCreated':
      return [[Edge.dashboard(d.dashboardId), true]];
    default:
      return [];
  }
}
