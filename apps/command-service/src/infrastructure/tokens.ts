/** Dependency-injection tokens for what the composing app provides. */
export const EVENT_STORE = Symbol('EventStore');
export const SETTINGS = Symbol('Settings');
export const COMMAND_RETRIES = Symbol('CommandRetries');
export const IDEMPOTENCY_TTL_MS = Symbol('IdempotencyTtlMs');
/** Where and how often aggregates are snapshotted (AggregateSnapshots); absent: never (ADR 19). */
export const SNAPSHOTS = Symbol('Snapshots');
