import { randomFillSync } from 'node:crypto';

/**
 * Event ids: UUIDv7 (RFC 9562 §5.7), a 48-bit Unix-millisecond timestamp in front, so ids made
 * one after the other sort one after the other and the store's unique index on event ids grows
 * at its right edge instead of taking a random B-tree page per insert (ADR 21).
 *
 * Layout, most significant bit first:
 *   unix_ts_ms (48) | ver = 0111 (4) | rand_a (12) | var = 10 (2) | rand_b (62)
 * Monotonicity follows §6.2 Method 1 (a fixed-length dedicated counter): rand_a and the leftmost
 * 30 bits of rand_b hold a 42-bit counter; the other 32 bits of rand_b are fresh random bits
 * for every id, so ids stay hard to guess even within a millisecond.
 */

/** Where the counter stops: 42 bits, an exact integer in a JS number. */
export const COUNTER_MAX = 2 ** 42 - 1;
/**
 * A new millisecond starts its counter at a random value below 2^41 (the leftmost counter bit
 * zero, §6.2's rollover guard): at least 2^41 ids fit in one millisecond before it overflows.
 */
const SEED_BOUND = 2 ** 41;
/** Byte to hex, lowercase: as randomUUID makes ids and as the API compares them. */
const HEX = Array.from({ length: 256 }, (_, byte) => byte.toString(16).padStart(2, '0'));

/** The timestamp and counter of the last id a generator made. */
export interface Uuid7State {
  ms: number;
  counter: number;
}

/**
 * The next (timestamp, counter) after `last`, given the clock's `now`; `seed` draws a fresh
 * counter. Pure, so the rare branches (clock stepping back, counter overflow) are testable.
 * @internal
 */
export function nextUuid7State(
  last: Uuid7State | undefined,
  now: number,
  seed: () => number,
): Uuid7State {
  if (last === undefined || now > last.ms) return { ms: now, counter: seed() };
  // The same millisecond, or the clock stepped back (NTP, a VM resumed): keep the last
  // timestamp so ids still sort in the order they were made (§6.2, "monotonicity").
  if (last.counter < COUNTER_MAX) return { ms: last.ms, counter: last.counter + 1 };
  // Counter exhausted: run the timestamp one millisecond ahead of the clock (§6.2 allows it).
  return { ms: last.ms + 1, counter: seed() };
}

/** A source of random unsigned 32-bit integers. */
export type RandomUint32 = () => number;

export interface Uuid7Options {
  /** Unix milliseconds. Defaults to `Date.now`. */
  now?: () => number;
  /** Defaults to the CSPRNG (`crypto.randomFillSync`), 1,024 words per call. */
  random?: RandomUint32;
}

/** A UUIDv7 generator with its own monotonic state. One per process is what callers want. */
export function uuid7Generator(options: Uuid7Options = {}): () => string {
  const now = options.now ?? Date.now;
  const random = options.random ?? pooledRandom();
  const seed = () => (random() % (SEED_BOUND / 2 ** 32)) * 2 ** 32 + random();
  let state: Uuid7State | undefined;
  // Ids of one millisecond share their first 14 characters: format them once.
  let prefixMs = -1;
  let prefix = '';
  return () => {
    state = nextUuid7State(state, Math.floor(now()), seed);
    if (state.ms !== prefixMs) {
      prefix = timestampPrefix(state.ms);
      prefixMs = state.ms;
    }
    return prefix + counterAndTail(state.counter, random());
  };
}

/** The id of a new event. Monotonic within this process (one shared generator). */
export const newEventId: () => string = uuid7Generator();

/**
 * The id of a (timestamp, counter) with `tail` as the last 32 bits of rand_b.
 * @internal
 */
export function formatUuid7({ ms, counter }: Uuid7State, tail: number): string {
  return timestampPrefix(ms) + counterAndTail(counter, tail);
}

/** `tttttttt-tttt-`: unix_ts_ms, 48 bits. */
function timestampPrefix(ms: number): string {
  if (!(Number.isInteger(ms) && ms >= 0 && ms < 2 ** 48)) {
    throw new RangeError(`UUIDv7: timestamp ${ms} does not fit in 48 bits.`);
  }
  const time = ms.toString(16).padStart(12, '0');
  return `${time.slice(0, 8)}-${time.slice(8)}-`;
}

/** `7aaa-vbbb-bbbbbbbbbbbb`: version, the counter over rand_a and rand_b, variant, the tail. */
function counterAndTail(counter: number, tail: number): string {
  const high = Math.floor(counter / 2 ** 30); // 12 bits: rand_a
  const low = counter % 2 ** 30; // 30 bits: the start of rand_b
  return (
    `${hex16(0x7000 | high)}-${hex16(0x8000 | (low >>> 16))}-` +
    `${hex16(low & 0xffff)}${hex16(tail >>> 16)}${hex16(tail & 0xffff)}`
  );
}

function hex16(word: number): string {
  return HEX[word >>> 8] + HEX[word & 0xff];
}

function pooledRandom(): RandomUint32 {
  const pool = new Uint32Array(1024);
  let next = pool.length;
  return () => {
    if (next === pool.length) {
      randomFillSync(pool);
      next = 0;
    }
    return pool[next++];
  };
}
