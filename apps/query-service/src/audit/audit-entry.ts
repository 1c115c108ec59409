import { organizationDecider, type OrganizationEvent, type OrganizationState } from '#libs/domain';
import type { EventActor, RecordedEvent } from '#libs/event-store';
import { isEventType, publishableData, type EventType } from '#libs/messaging';
import { AUDIT_DESCRIPTIONS, Names, type AuditData, type Departed } from './audit-sentences.js';

/** One line of the audit log (R34): who did what to whom, when, and what caused it. */
export interface AuditEntry {
  position: string;
  /** When the store recorded the event. */
  time: string;
  eventId: string;
  organizationId: string;
  type: EventType;
  /** R32's actor; a member's email and a key's name as they were then, when known. */
  actor: EventActor & { email?: string; name?: string };
  /** Everything the event names: `members/<id>`, `roles/<id>`, `groups/<id>`, … */
  subjects: string[];
  sentence: string;
  /** For a cascade (R11, R19): the event that caused it; null for what a request did itself. */
  cause: { eventId: string; type: string } | null;
  correlationId: string;
  /** The event's publishable data (S2: the catalog's allow list, never a secret or hash). */
  data: Record<string, unknown>;
}

/** An event the audit log can tell, with what filters look at, before any sentence is made. */
export interface AuditCandidate {
  event: RecordedEvent;
  type: EventType;
  data: Record<string, unknown>;
  subjects: string[];
}

/**
 * One organization folded event by event with the domain's own evolve, so that each entry is
 * told with the names of the moment: the sentence is made over the state *before* the event
 * (evolve updates in place), which still knows a removed member's email or a deleted group's
 * name; what the event introduces is in its own data.
 */
export class AuditFold {
  /** The JWT `sub` of each bound member -> userId: event actors name members by `sub`. */
  private readonly userIdBySubject = new Map<string, string>();
  private readonly departed: Departed = {
    members: new Map(),
    groups: new Map(),
    dashboards: new Map(),
  };
  /**
   * The events of the request being folded (one correlation id): a cascade's cause is an
   * earlier event of the same decision (ADR 9), so this is all the memory causes need.
   */
  private batch: { correlationId: string; types: Map<string, string> } = {
    correlationId: '',
    types: new Map(),
  };

  constructor(private state: OrganizationState = organizationDecider.initialState()) {
    // A fold that starts from a stored state (a snapshot) learns the bindings from it once.
    for (const member of state.members.values()) {
      if (member.subject !== undefined) this.userIdBySubject.set(member.subject, member.userId);
    }
  }

  /**
   * Whether folding an event of this type keeps something only the state before it knew (the
   * name of what it removes): a fold that starts after such an event cannot know it.
   */
  static remembersTheStateBefore(type: string): boolean {
    return REMOVALS.has(type);
  }

  /**
   * Starts the fold inside a request whose first events the state already holds: their ids and
   * types, in order, are what the events after them name as causes. Not past a removal of that
   * request (remembersTheStateBefore): its names are not in the state any more.
   */
  resume(correlationId: string, events: Iterable<{ id: string; type: string }>): void {
    this.batch = { correlationId, types: new Map() };
    for (const { id, type } of events) this.batch.types.set(id, type);
  }

  /** Whether the audit log tells this event at all; unknown types are not described (S2). */
  static candidate(event: RecordedEvent): AuditCandidate | undefined {
    if (!isEventType(event.type)) return undefined;
    const type = event.type;
    const data = publishableData(type, event.data);
    const describe = AUDIT_DESCRIPTIONS[type] as unknown as {
      subjects(data: AuditData<EventType>): string[];
    };
    return { event, type, data, subjects: describe.subjects(data as AuditData<EventType>) };
  }

  /** The entry of `candidate`, told over the state before it. Call before `apply`. */
  describe(candidate: AuditCandidate): AuditEntry {
    const { event, type, data, subjects } = candidate;
    const names = new Names(this.state, this.departed);
    const actor = this.actorOf(event.metadata.actor);
    const describe = AUDIT_DESCRIPTIONS[type] as unknown as {
      sentence(actor: string, data: AuditData<EventType>, names: Names): string;
    };
    return {
      position: event.position,
      time: event.recordedAt,
      eventId: event.id,
      organizationId: event.metadata.organizationId,
      type,
      actor,
      subjects,
      sentence: describe.sentence(phrase(actor), data as AuditData<EventType>, names),
      cause: this.causeOf(event),
      correlationId: event.metadata.correlationId,
      data,
    };
  }

  /** Folds the event into the state (after describing it, when it is described). */
  apply(event: RecordedEvent): void {
    if (event.metadata.correlationId !== this.batch.correlationId) {
      this.batch = { correlationId: event.metadata.correlationId, types: new Map() };
    }
    this.batch.types.set(event.id, event.type);
    if (!isEventType(event.type)) return;
    this.remember(event);
    this.state = organizationDecider.evolve(this.state, event as unknown as OrganizationEvent);
  }

  /** Before the state forgets: bindings, and the names of what is being removed. */
  private remember(event: RecordedEvent): void {
    const data = event.data as { userId?: string; groupId?: string; dashboardId?: string };
    switch (event.type) {
      case 'MemberActivated': {
        const { subject } = event.data as { subject: string };
        if (data.userId !== undefined) this.userIdBySubject.set(subject, data.userId);
        return;
      }
      case 'MemberRemoved': {
        const email = data.userId && this.state.members.get(data.userId)?.email;
        if (data.userId && email) this.departed.members.set(data.userId, email);
        return;
      }
      case 'GroupDeleted': {
        const name = data.groupId && this.state.groups.get(data.groupId)?.name;
        if (data.groupId && name) this.departed.groups.set(data.groupId, name);
        return;
      }
      case 'DashboardDeleted': {
        const name = data.dashboardId && this.state.dashboards.get(data.dashboardId)?.name;
        if (data.dashboardId && name) this.departed.dashboards.set(data.dashboardId, name);
        return;
      }
    }
  }

  private causeOf(event: RecordedEvent): AuditEntry['cause'] {
    const { causationId, correlationId } = event.metadata;
    if (causationId === correlationId || correlationId !== this.batch.correlationId) return null;
    const type = this.batch.types.get(causationId);
    return type === undefined ? null : { eventId: causationId, type };
  }

  private actorOf(actor: EventActor): AuditEntry['actor'] {
    if (actor.type === 'user') {
      const userId = this.userIdBySubject.get(actor.id);
      const email = userId === undefined ? undefined : this.state.members.get(userId)?.email;
      return email === undefined ? { ...actor } : { ...actor, email };
    }
    if (actor.type === 'api_key') {
      const name = this.state.apiKeys.get(actor.id)?.name;
      return name === undefined ? { ...actor } : { ...actor, name };
    }
    return { ...actor };
  }
}

/** The events whose names AuditFold keeps when the state forgets them (remember). */
const REMOVALS: ReadonlySet<string> = new Set([
  'MemberRemoved',
  'GroupDeleted',
  'DashboardDeleted',
]);

/** The actor as the subject of a sentence. */
function phrase(actor: AuditEntry['actor']): string {
  switch (actor.type) {
    case 'user':
      return actor.email ?? `user ${actor.id}`;
    case 'api_key':
      return actor.name === undefined ? `API key ${actor.id}` : `API key "${actor.name}"`;
    case 'system':
      return 'the system';
    default:
      return `${actor.type} ${actor.id}`;
  }
}
