import { comparePositions } from '#libs/event-store';
import { ApiError } from '#libs/http';
import { EVENT_TYPES, isEventType, type EventType } from '#libs/messaging';
import { parseAsOf, type AsOf } from '../history/as-of.js';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from '../pagination.js';
import type { AuditCandidate } from './audit-entry.js';

/** What `?type=&actor=&subject=&from=&to=` ask for (R34); every filter must hold. */
export interface AuditFilter {
  types?: ReadonlySet<EventType>;
  /** `<type>:<id>`, as R32's actor. */
  actor?: { type: string; id: string };
  /** `members/<id>`, `roles/<id>`, …: the form entries list their subjects in. */
  subject?: string;
  /** Inclusive bounds, each an instant or a position. */
  from?: AsOf;
  to?: AsOf;
}

export interface AuditPageRequest {
  filter: AuditFilter;
  limit: number;
  /** Exclusive: the position after which the page starts. */
  after?: string;
}

const ACTOR_TYPES = ['user', 'support', 'auditor', 'api_key', 'system'] as const;
/** The query's resource words -> the path segment entries name subjects with. */
const SUBJECT_KINDS: Readonly<Record<string, string>> = {
  member: 'members',
  group: 'groups',
  workspace: 'workspaces',
  project: 'projects',
  dashboard: 'dashboards',
  role: 'roles',
  apiKey: 'api-keys',
};
const ID = /^[A-Za-z0-9_-]{1,64}$/;
const POSITION = /^\d{1,30}$/;

/**
 * The filters, refused with a 400 naming the field when malformed (R38). Messages never quote
 * the value sent: it may be a secret pasted in the wrong place (S2).
 */
export function parseAuditFilter(query: Record<string, unknown>): AuditFilter {
  const filter: AuditFilter = {};
  const type = text(query.type, 'type', 'INVALID_TYPE');
  if (type !== undefined) {
    const types = type.split(',');
    if (!types.every(isEventType)) {
      throw invalid(
        'INVALID_TYPE',
        'type',
        `type is one event type or a comma-separated list of them, e.g. MemberRoleChanged,MemberRemoved (see GET /docs-json for the ${EVENT_TYPES.length} types).`,
      );
    }
    filter.types = new Set(types);
  }
  const actor = text(query.actor, 'actor', 'INVALID_ACTOR');
  if (actor !== undefined) {
    const at = actor.indexOf(':');
    const actorType = actor.slice(0, at);
    const id = actor.slice(at + 1);
    if (at < 1 || !(ACTOR_TYPES as readonly string[]).includes(actorType) || id.length === 0) {
      throw invalid(
        'INVALID_ACTOR',
        'actor',
        `actor is <type>:<id> with a type among ${ACTOR_TYPES.join(', ')}, e.g. user:<sub> or api_key:<keyId>.`,
      );
    }
    filter.actor = { type: actorType, id };
  }
  const subject = text(query.subject, 'subject', 'INVALID_SUBJECT');
  if (subject !== undefined) {
    const [kind, id, ...rest] = subject.split(':');
    const segment = Object.hasOwn(SUBJECT_KINDS, kind) ? SUBJECT_KINDS[kind] : undefined;
    if (segment === undefined || id === undefined || !ID.test(id) || rest.length > 0) {
      throw invalid(
        'INVALID_SUBJECT',
        'subject',
        `subject is <kind>:<id> with a kind among ${Object.keys(SUBJECT_KINDS).join(', ')}, e.g. member:<userId>.`,
      );
    }
    filter.subject = `${segment}/${id}`;
  }
  filter.from = bound(query.from, 'from');
  filter.to = bound(query.to, 'to');
  return filter;
}

/** The filters plus `?limit=` (1–500) and `?cursor=` (a position from `nextCursor`). */
export function parseAuditPage(query: Record<string, unknown>): AuditPageRequest {
  const filter = parseAuditFilter(query);
  const limitText = text(query.limit, 'limit', 'INVALID_LIMIT');
  const limit = limitText === undefined ? DEFAULT_PAGE_SIZE : Number(limitText);
  if (!/^\d{1,3}$/.test(limitText ?? '1') || limit < 1 || limit > MAX_PAGE_SIZE) {
    throw invalid('INVALID_LIMIT', 'limit', `limit is an integer from 1 to ${MAX_PAGE_SIZE}.`);
  }
  const cursor = text(query.cursor, 'cursor', 'INVALID_CURSOR');
  if (cursor !== undefined && !POSITION.test(cursor)) {
    throw invalid('INVALID_CURSOR', 'cursor', 'cursor is a nextCursor this route returned.');
  }
  return { filter, limit, after: cursor === undefined ? undefined : BigInt(cursor).toString() };
}

/** Whether a candidate passes the filters. Time bounds compare the recorded time. */
export function matches(candidate: AuditCandidate, filter: AuditFilter): boolean {
  const { event } = candidate;
  if (filter.types && !filter.types.has(candidate.type)) return false;
  if (
    filter.actor &&
    (event.metadata.actor.type !== filter.actor.type || event.metadata.actor.id !== filter.actor.id)
  ) {
    return false;
  }
  if (filter.subject && !candidate.subjects.includes(filter.subject)) return false;
  if (filter.from && !atOrAfter(event, filter.from)) return false;
  if (filter.to && !atOrBefore(event, filter.to)) return false;
  return true;
}

/** Whether every later event is past `to` too (positions only grow; recorded times may not). */
export function pastTheEnd(position: string, filter: AuditFilter): boolean {
  return filter.to?.kind === 'position' && comparePositions(position, filter.to.position) > 0;
}

function atOrAfter(event: { position: string; recordedAt: string }, from: AsOf): boolean {
  return from.kind === 'position'
    ? comparePositions(event.position, from.position) >= 0
    : Date.parse(event.recordedAt) >= from.time;
}

function atOrBefore(event: { position: string; recordedAt: string }, to: AsOf): boolean {
  return to.kind === 'position'
    ? comparePositions(event.position, to.position) <= 0
    : Date.parse(event.recordedAt) <= to.time;
}

function bound(value: unknown, name: 'from' | 'to'): AsOf | undefined {
  try {
    return parseAsOf(value, name);
  } catch {
    throw invalid(
      name === 'from' ? 'INVALID_FROM' : 'INVALID_TO',
      name,
      `${name} is an ISO-8601 instant (e.g. 2026-12-01T08:00:00Z) or a global position (e.g. 42), inclusive.`,
    );
  }
}

/** A query parameter given once, as a non-empty string of sane length; undefined when absent. */
function text(value: unknown, name: string, code: string): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value.length === 0 || value.length > 2_000) {
    throw invalid(code, name, `${name} is given once, as a non-empty text.`);
  }
  return value;
}

function invalid(code: string, field: string, message: string): ApiError {
  return new ApiError(400, code, message, { fields: [field] });
}
