import {
  COUNTER_MAX,
  formatUuid7,
  newEventId,
  nextUuid7State,
  uuid7Generator,
  type Uuid7State,
} from './event-id.js';

/** The fields of a UUID string, read back bit by bit (RFC 9562 §5.7). */
function fields(id: string) {
  const hex = id.replaceAll('-', '');
  const bits = BigInt(`0x${hex}`);
  return {
    ms: Number(bits >> 80n),
    version: Number((bits >> 76n) & 0xfn),
    variant: Number((bits >> 62n) & 0x3n),
    counter: Number(((bits >> 64n) & 0xfffn) * 2n ** 30n + ((bits >> 32n) & 0x3fffffffn)),
  };
}

/** A deterministic stand-in for the CSPRNG: the same 32-bit words over and over. */
function words(...values: number[]): () => number {
  let i = 0;
  return () => values[i++ % values.length];
}

describe('event ids (UUIDv7, RFC 9562)', () => {
  it('formats RFC 9562 Appendix A.6 example the same way', () => {
    const state: Uuid7State = { ms: 0x017f22e279b0, counter: 0xcc3 * 2 ** 30 + 0x18c4dc0c };
    expect(formatUuid7(state, 0x0c07398f)).toBe('017f22e2-79b0-7cc3-98c4-dc0c0c07398f');
  });

  it('carries version 7, the RFC variant and the clock as its 48-bit timestamp', () => {
    const clock = Date.parse('2026-12-01T10:00:00.123Z');
    const id = uuid7Generator({ now: () => clock })();
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(fields(id)).toMatchObject({ ms: clock, version: 7, variant: 0b10 });
  });

  it('keeps the whole 48-bit range: the first and last millisecond it can name', () => {
    expect(uuid7Generator({ now: () => 0 })()).toMatch(/^00000000-0000-7/);
    expect(fields(uuid7Generator({ now: () => 2 ** 48 - 1 })()).ms).toBe(2 ** 48 - 1);
    expect(() => uuid7Generator({ now: () => 2 ** 48 })()).toThrow(RangeError);
  });

  it('is monotonic and unique over a burst of 100,000 in one millisecond', () => {
    const clock = Date.parse('2026-12-01T10:00:00.000Z');
    const next = uuid7Generator({ now: () => clock });
    const ids = Array.from({ length: 100_000 }, next);
    for (let i = 1; i < ids.length; i++) {
      // Plain string order: what SQLite's TEXT index and every consumer's sort compare.
      if (!(ids[i - 1] < ids[i])) throw new Error(`id ${i} ${ids[i]} <= ${ids[i - 1]}`);
    }
    expect(new Set(ids).size).toBe(ids.length);
    // The counter starts below 2^41, so a burst this size stays on the clock's millisecond.
    expect(ids.every((id) => fields(id).ms === clock)).toBe(true);
    // Consecutive ids differ by one in the counter; the last 32 bits stay random.
    expect(fields(ids[1]).counter - fields(ids[0]).counter).toBe(1);
    expect(new Set(ids.map((id) => id.slice(-8))).size).toBeGreaterThan(99_000);
  });

  it('starts a fresh random counter, its leftmost bit zero, when the clock moves on', () => {
    let clock = 1_000;
    // Per id: two words for a new millisecond's counter, then one for the id's last 32 bits.
    const next = uuid7Generator({
      now: () => clock,
      random: words(0xffffffff, 0xffffffff, 7, 0x203, 5, 9),
    });
    const first = next();
    clock += 1;
    const second = next();
    // All ones from the CSPRNG still leave room for 2^41 more ids in that millisecond.
    expect(fields(first)).toMatchObject({ ms: 1_000, counter: 2 ** 41 - 1 });
    expect(first.slice(-8)).toBe('00000007');
    expect(fields(second)).toMatchObject({ ms: 1_001, counter: 3 * 2 ** 32 + 5 });
    expect(second.slice(-8)).toBe('00000009');
  });

  it('keeps sorting in generation order when the clock steps back', () => {
    let clock = 5_000;
    const next = uuid7Generator({ now: () => clock });
    const before = next();
    clock = 4_000;
    const after = next();
    expect(after > before).toBe(true);
    expect(fields(after).ms).toBe(5_000);
    expect(fields(after).counter).toBe(fields(before).counter + 1);
  });

  it('runs one millisecond ahead of the clock when the counter is exhausted', () => {
    const full: Uuid7State = { ms: 7_000, counter: COUNTER_MAX };
    const next = nextUuid7State(full, 7_000, () => 42);
    expect(next).toEqual({ ms: 7_001, counter: 42 });
    expect(formatUuid7(next, 0) > formatUuid7(full, 0xffffffff)).toBe(true);
    // Until the clock passes it, later ids stay on the borrowed millisecond.
    expect(nextUuid7State(next, 7_000, () => 0)).toEqual({ ms: 7_001, counter: 43 });
  });

  it('sorts in generation order from the shared generator too', () => {
    const ids = Array.from({ length: 1_000 }, newEventId);
    expect([...ids].sort()).toEqual(ids);
  });
});
