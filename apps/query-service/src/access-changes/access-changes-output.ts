import { csvLine } from '../exports/csv.js';
import type { AccessChangeReport } from './access-changes.service.js';

export const ACCESS_CHANGE_COLUMNS = [
  'subject',
  'subject_name',
  'kind',
  'item',
  'item_name',
  'change',
  'before',
  'after',
  'cause_event_id',
  'cause_type',
  'cause_position',
  'cause_time',
  'cause_actor',
] as const;

/**
 * R39 as CSV (RFC 4180, formula-safe cells as R30's export), header first, one line per
 * change; produced a line at a time so the response is written as it is produced.
 */
export function* accessChangesCsv(report: AccessChangeReport): Iterable<string> {
  yield csvLine(ACCESS_CHANGE_COLUMNS);
  for (const change of report.changes) {
    const { cause } = change;
    yield csvLine([
      change.subject,
      change.email ?? change.name ?? '',
      change.kind,
      change.item,
      change.itemName ?? '',
      change.change,
      change.before,
      change.after,
      cause.eventId,
      cause.type,
      cause.position,
      cause.time,
      cause.actor === null ? '' : `${cause.actor.type}:${cause.actor.id}`,
    ]);
  }
}

/**
 * R39 as one JSON document `{ from, to, changes: [...] }`, written a change at a time rather
 * than stringified whole: a large window does not need a second copy as one string.
 */
export function* accessChangesJson(report: AccessChangeReport): Iterable<string> {
  yield `{"from":${JSON.stringify(report.from)},"to":${JSON.stringify(report.to)},"changes":[`;
  let first = true;
  for (const change of report.changes) {
    yield `${first ? '' : ','}${JSON.stringify(change)}`;
    first = false;
  }
  yield ']}';
}
