import type { ExpectedRevision, NewEvent } from './event-store.port.js';

/**
 * Checks an append request the same way in every adapter, before any I/O, so a caller's
 * mistake fails identically on SQLite and EventStoreDB. These are programming errors, not
 * conflicts: they throw `TypeError`, which callers must not retry.
 */
export function validateAppend(
  stream: string,
  events: NewEvent[],
  expectedRevision: ExpectedRevision,
): void {
  if (stream.length === 0) throw new TypeError('append: the stream name is empty.');
  if (events.length === 0) {
    throw new TypeError(
      `append to ${stream}: the batch is empty; append only when there are events.`,
    );
  }
  const ids = new Set<string>();
  for (const event of events) {
    if (ids.has(event.id)) {
      throw new TypeError(`append to ${stream}: event id ${event.id} appears twice in the batch.`);
    }
    ids.add(event.id);
  }
  if (
    typeof expectedRevision === 'number' &&
    !(Number.isSafeInteger(expectedRevision) && expectedRevision >= 0)
  ) {
    throw new TypeError(
      `append to ${stream}: expected revision ${expectedRevision} is not a revision; use a revision >= 0, 'no_stream' or 'any'.`,
    );
  }
}

/** Parses a port position, refusing anything that is not a non-negative decimal integer. */
export function parsePosition(position: string): bigint {
  if (!/^\d+$/.test(position)) {
    throw new TypeError(`Position ${JSON.stringify(position)} is not a decimal integer.`);
  }
  return BigInt(position);
}
