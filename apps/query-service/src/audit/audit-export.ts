import { csvLine } from '../exports/csv.js';
import type { AuditEntry } from './audit-entry.js';

export const AUDIT_EXPORT_FORMATS = ['ndjson', 'csv'] as const;
export type AuditExportFormat = (typeof AUDIT_EXPORT_FORMATS)[number];

export const AUDIT_CSV_COLUMNS = [
  'position',
  'time',
  'event_id',
  'type',
  'actor_type',
  'actor_id',
  'actor_email',
  'actor_name',
  'subjects',
  'sentence',
  'cause_event_id',
  'cause_type',
  'correlation_id',
] as const;

/** One JSON entry a line (NDJSON): what auditors' tools ingest without a parser for pages. */
export async function* auditNdjson(entries: AsyncIterable<AuditEntry>): AsyncIterable<string> {
  for await (const entry of entries) yield `${JSON.stringify(entry)}\n`;
}

/**
 * The entries as CSV, header first (RFC 4180, formula-safe cells: csv.ts). Flat columns only:
 * the event data stays in the NDJSON export, where its structure survives.
 */
export async function* auditCsv(entries: AsyncIterable<AuditEntry>): AsyncIterable<string> {
  yield csvLine(AUDIT_CSV_COLUMNS);
  for await (const e of entries) {
    yield csvLine([
      e.position,
      e.time,
      e.eventId,
      e.type,
      e.actor.type,
      e.actor.id,
      e.actor.email,
      e.actor.name,
      e.subjects.join(' '),
      e.sentence,
      e.cause?.eventId,
      e.cause?.type,
      e.correlationId,
    ]);
  }
}
