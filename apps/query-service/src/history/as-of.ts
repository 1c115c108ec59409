import { ApiError } from '#libs/http';

/** A past point of an organization's history (R33): a global position, or an instant. */
export type AsOf = { kind: 'position'; position: string } | { kind: 'time'; time: number };

const POSITION = /^\d{1,30}$/;
/** ISO-8601 with a date and a time, e.g. 2026-12-01T08:00:00Z or …+02:00. */
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

/** Parses `asOf=`: undefined when absent, a 400 naming the parameter when malformed. */
export function parseAsOf(value: unknown, name = 'asOf'): AsOf | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'string' && POSITION.test(value)) {
    return { kind: 'position', position: BigInt(value).toString() };
  }
  const time = typeof value === 'string' && INSTANT.test(value) ? Date.parse(value) : NaN;
  if (Number.isNaN(time)) {
    throw new ApiError(
      400,
      'INVALID_AS_OF',
      `${name} is an ISO-8601 instant (e.g. 2026-12-01T08:00:00Z) or a global position (e.g. 42).`,
      { fields: [name] },
    );
  }
  return { kind: 'time', time };
}
