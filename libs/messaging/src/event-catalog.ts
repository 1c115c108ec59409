import type { OrganizationEvent, OrganizationEventType } from '#libs/domain';

/** Every event type the domain can emit: public names, which consumers depend on (ADR 11). */
export type EventType = OrganizationEventType;
export type EventOf<T extends EventType> = Extract<OrganizationEvent, { type: T }>;
export type DataOf<T extends EventType> = EventOf<T>['data'];

/** What the messaging layer knows about one event type. */
export interface EventDescriptor<T extends EventType> {
  /** The schema version published (and written today); older stored versions are upcast to it. */
  version: number;
  /**
   * Top-level data fields published as they are. A field not listed here is withheld: an
   * allow list, so a field added to the domain later (a secret, say) stays inside the process
   * until someone decides to publish it (S2). Nested objects are fixed by the schemas, which
   * refuse unknown properties.
   */
  published: readonly (keyof DataOf<T> & string)[];
  /** Fields deliberately never published, each with the reason. */
  withheld?: { readonly [K in keyof DataOf<T> & string]?: string };
  /** The CloudEvents `subject`: what in the organization the event is about. */
  subject(data: DataOf<T>): string;
}

const principal = (p: { type: 'user' | 'group'; id: string }): string =>
  p.type === 'user' ? `members/${p.id}` : `groups/${p.id}`;

/**
 * The catalog of events, one entry per type of OrganizationEvent. A mapped type over the
 * union: a new event type fails compilation here until it is described (and a type that no
 * longer exists is an excess property).
 */
export const EVENT_CATALOG: { readonly [T in EventType]: EventDescriptor<T> } = {
  OrganizationCreated: {
    version: 1,
    published: ['organizationId', 'name', 'catalog', 'firstMember', 'defaultWorkspaceId'],
    subject: () => 'organization',
  },
  CatalogPermissionsAdded: { version: 1, published: ['permissions'], subject: () => 'catalog' },
  CatalogPermissionsRemoved: { version: 1, published: ['permissions'], subject: () => 'catalog' },
  RoleCreated: {
    version: 1,
    published: ['roleId', 'name', 'permissions'],
    subject: (d) => `roles/${d.roleId}`,
  },
  RoleUpdated: {
    version: 1,
    published: ['roleId', 'name', 'permissions'],
    subject: (d) => `roles/${d.roleId}`,
  },
  RoleDeleted: { version: 1, published: ['roleId'], subject: (d) => `roles/${d.roleId}` },
  MemberInvited: {
    version: 1,
    published: ['userId', 'email', 'roleId', 'invitedBy'],
    subject: (d) => `members/${d.userId}`,
  },
  MemberActivated: {
    version: 1,
    published: ['userId', 'subject', 'issuer'],
    subject: (d) => `members/${d.userId}`,
  },
  MemberRoleChanged: {
    version: 1,
    published: ['userId', 'roleId', 'previousRoleId'],
    subject: (d) => `members/${d.userId}`,
  },
  MemberDeactivated: { version: 1, published: ['userId'], subject: (d) => `members/${d.userId}` },
  MemberReactivated: { version: 1, published: ['userId'], subject: (d) => `members/${d.userId}` },
  MemberRemoved: { version: 1, published: ['userId'], subject: (d) => `members/${d.userId}` },
  ApiKeyIssued: {
    version: 1,
    published: ['keyId', 'name', 'issuedBy', 'snapshot', 'secretPrefix', 'issuedAt', 'expiresAt'],
    withheld: {
      secretHash:
        'S2: hashes of API-key secrets never leave the process; a leaked hash lets anyone test guesses offline and ties messages to keys.',
    },
    subject: (d) => `api-keys/${d.keyId}`,
  },
  ApiKeyRevoked: { version: 1, published: ['keyId'], subject: (d) => `api-keys/${d.keyId}` },
  GroupCreated: {
    version: 1,
    published: ['groupId', 'name'],
    subject: (d) => `groups/${d.groupId}`,
  },
  DirectoryGroupLinked: {
    version: 1,
    published: ['groupId', 'name', 'directoryGroupId'],
    subject: (d) => `groups/${d.groupId}`,
  },
  GroupRenamed: {
    version: 1,
    published: ['groupId', 'name'],
    subject: (d) => `groups/${d.groupId}`,
  },
  GroupDeleted: { version: 1, published: ['groupId'], subject: (d) => `groups/${d.groupId}` },
  GroupMembersAdded: {
    version: 1,
    published: ['groupId', 'userIds'],
    subject: (d) => `groups/${d.groupId}`,
  },
  GroupMemberRemoved: {
    version: 1,
    published: ['groupId', 'userId'],
    subject: (d) => `groups/${d.groupId}`,
  },
  DirectoryMembershipSynced: {
    version: 1,
    published: ['userId', 'joined', 'left'],
    subject: (d) => `members/${d.userId}`,
  },
  WorkspaceCreated: {
    version: 1,
    published: ['workspaceId', 'name'],
    subject: (d) => `workspaces/${d.workspaceId}`,
  },
  WorkspaceRenamed: {
    version: 1,
    published: ['workspaceId', 'name'],
    subject: (d) => `workspaces/${d.workspaceId}`,
  },
  WorkspacePrincipalAdded: {
    version: 1,
    published: ['workspaceId', 'principal', 'role'],
    subject: (d) => `workspaces/${d.workspaceId}/${principal(d.principal)}`,
  },
  WorkspacePrincipalRoleChanged: {
    version: 1,
    published: ['workspaceId', 'principal', 'role', 'previousRole'],
    subject: (d) => `workspaces/${d.workspaceId}/${principal(d.principal)}`,
  },
  WorkspacePrincipalRemoved: {
    version: 1,
    published: ['workspaceId', 'principal'],
    subject: (d) => `workspaces/${d.workspaceId}/${principal(d.principal)}`,
  },
  ProjectCreated: {
    version: 1,
    published: ['projectId', 'workspaceId', 'name', 'owner'],
    subject: (d) => `projects/${d.projectId}`,
  },
  ProjectMemberAdded: {
    version: 1,
    published: ['projectId', 'principal', 'role'],
    subject: (d) => `projects/${d.projectId}/${principal(d.principal)}`,
  },
  ProjectMemberRoleChanged: {
    version: 1,
    published: ['projectId', 'principal', 'role', 'previousRole'],
    subject: (d) => `projects/${d.projectId}/${principal(d.principal)}`,
  },
  ProjectMembersRemoved: {
    version: 1,
    published: ['projectId', 'principals'],
    subject: (d) => `projects/${d.projectId}`,
  },
  OwnershipTransferred: {
    version: 1,
    published: ['projectId', 'from', 'to'],
    subject: (d) => `projects/${d.projectId}`,
  },
  ProjectDeleted: {
    version: 1,
    published: ['projectId'],
    subject: (d) => `projects/${d.projectId}`,
  },
  DashboardCreated: {
    version: 1,
    published: ['dashboardId', 'workspaceId', 'name', 'projectIds', 'createdBy'],
    subject: (d) => `dashboards/${d.dashboardId}`,
  },
  DashboardDeleted: {
    version: 1,
    published: ['dashboardId'],
    subject: (d) => `dashboards/${d.dashboardId}`,
  },
};

/** Every event type, in catalog order. */
export const EVENT_TYPES: readonly EventType[] = Object.keys(EVENT_CATALOG) as EventType[];

export function isEventType(type: string): type is EventType {
  return Object.hasOwn(EVENT_CATALOG, type);
}

/** A stored event whose type the catalog does not describe: it is never published (S2). */
export class UnknownEventTypeError extends Error {
  readonly code = 'UNKNOWN_EVENT_TYPE';
  constructor(readonly type: string) {
    super(
      `Event type ${type} is not in the messaging catalog (libs/messaging/src/event-catalog.ts); describe it before it can be published.`,
    );
    this.name = 'UnknownEventTypeError';
  }
}

/** Lookup with the descriptor's type widened, for code that handles any event type. */
export function descriptorOf(type: string): EventDescriptor<EventType> {
  if (!isEventType(type)) throw new UnknownEventTypeError(type);
  return EVENT_CATALOG[type] as unknown as EventDescriptor<EventType>;
}
