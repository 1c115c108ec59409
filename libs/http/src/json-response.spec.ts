import fc from 'fast-check';
import { freezeWithJson, serialiseJson, textOf } from '#libs/http';

const text = (value: unknown) => textOf(serialiseJson(value));

/** A deep-frozen copy, as the in-memory document store hands its documents out. */
function deepFrozen<T>(value: T): T {
  if (typeof value !== 'object' || value === null) return value;
  const copy = (
    Array.isArray(value)
      ? value.map(deepFrozen)
      : Object.fromEntries(Object.entries(value).map(([k, v]) => [k, deepFrozen(v)]))
  ) as T;
  return Object.freeze(copy);
}

/** A page as the query service answers one: fresh framing, frozen views with their JSON. */
const pageOf = (documents: object[], nextCursor: string | null = null) => ({
  items: documents.map((document) => freezeWithJson({ ...deepFrozen(document) })),
  nextCursor,
});

describe('JSON responses', () => {
  it('write what JSON.stringify writes, for any JSON value, fresh, frozen, or met again', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const expected = JSON.stringify(value);
        expect(text(value)).toBe(expected);
        const frozen = deepFrozen(value);
        expect(text(frozen)).toBe(expected);
        // The second time the frozen parts come from the cache.
        expect(text({ again: frozen, list: [frozen, frozen] })).toBe(
          JSON.stringify({ again: value, list: [value, value] }),
        );
      }),
    );
  });

  it('write what JSON.stringify writes for what JSON leaves out or rewrites', () => {
    const sparse: unknown[] = [1];
    sparse[3] = 2;
    const values: unknown[] = [
      { a: undefined, b: () => 1, c: Symbol('s'), d: [undefined, () => 1, Symbol('s')] },
      { n: [-0, NaN, Infinity, -Infinity, 1e21, 5e-7] },
      { '2': 'b', '1': 'a', z: 1, 'quo"te': '\\', '\ud800': '\udfff x \u2028 \u0000' },
      { sparse },
      [],
      {},
      Object.create(null) as object,
      [[[]], [{}]],
      'text',
      7,
      null,
      true,
    ];
    for (const value of values) {
      expect(text(value)).toBe(JSON.stringify(value));
      expect(text(deepFrozen(value))).toBe(JSON.stringify(value));
    }
    expect(text(undefined)).toBeUndefined();
    expect(text(() => 1)).toBeUndefined();
  });

  it('leave toJSON, Dates, class instances and Maps to JSON.stringify, wherever they are', () => {
    class Point {
      constructor(
        readonly x: number,
        readonly y: number,
      ) {}
    }
    const keyed = { toJSON: (key: string) => `key ${key}` };
    const values: unknown[] = [
      { at: new Date(0), items: [freezeWithJson({ a: 1 })] },
      { nested: { keyed }, list: [keyed] },
      keyed,
      { point: new Point(1, 2), map: new Map([[1, 2]]), set: new Set([1]) },
      Object.freeze({ frozenDate: Object.freeze(new Date(0)) }),
      { boxed: [Object(1), Object('s'), Object(false)] },
    ];
    for (const value of values) {
      expect(text(value)).toBe(JSON.stringify(value));
      expect(serialiseJson(value).tag).toBeUndefined();
    }
  });

  it('write arrays of frozen views, fresh objects, primitives and holes as JSON.stringify does', () => {
    const view = freezeWithJson({ a: 1, list: Object.freeze(['x']) });
    const keyed = { toJSON: (key: string) => `key ${key}` };
    const arrays: unknown[][] = [
      [view, { b: 2 }, 3, undefined, null, 'x', () => 1, Symbol('s'), [view], view],
      [{ b: 2 }, view],
      [view, Object.freeze({ c: [1] }), Object.freeze({ d: { e: 1 } }), Object.freeze([view])],
      [view, keyed],
      [view, new Date(0)],
    ];
    for (const array of arrays) {
      expect(text({ items: array })).toBe(JSON.stringify({ items: array }));
      expect(text(array)).toBe(JSON.stringify(array));
    }
  });

  it('fail as JSON.stringify fails: on a bigint and on a cycle', () => {
    expect(() => serialiseJson({ n: 1n })).toThrow(TypeError);
    const cycle: Record<string, unknown> = { a: 1 };
    cycle.self = { back: cycle };
    expect(() => serialiseJson(cycle)).toThrow(TypeError);
    const deep: unknown[] = [];
    let at = deep;
    for (let i = 0; i < 200; i++) at.push((at = []));
    expect(text(deep)).toBe(JSON.stringify(deep));
  });

  it('never reuse the text of an object that can still change', () => {
    const child = { n: 1 };
    const frozenAroundMutable = Object.freeze({ child });
    expect(text(frozenAroundMutable)).toBe('{"child":{"n":1}}');
    child.n = 2;
    expect(text(frozenAroundMutable)).toBe('{"child":{"n":2}}');

    let reads = 0;
    const withGetter = Object.freeze(
      Object.defineProperty({}, 'n', { enumerable: true, get: () => ++reads }),
    );
    expect(text(withGetter)).toBe('{"n":1}');
    expect(text(withGetter)).toBe('{"n":2}');

    // A view of mutable data is only frozen: nothing is attached, nothing goes stale.
    const list = [1];
    const view = freezeWithJson({ list });
    list.push(2);
    expect(text(view)).toBe('{"list":[1,2]}');
  });

  it('freezeWithJson freezes, and what it attaches is seen by neither JSON, keys nor spreads', () => {
    const view = freezeWithJson({ a: 1, b: deepFrozen({ c: [1, 2] }) });
    expect(Object.isFrozen(view)).toBe(true);
    expect(Object.keys(view)).toEqual(['a', 'b']);
    expect({ ...view }).toEqual({ a: 1, b: { c: [1, 2] } });
    expect(Object.getOwnPropertySymbols({ ...view })).toEqual([]);
    expect(JSON.stringify(view)).toBe('{"a":1,"b":{"c":[1,2]}}');
  });

  it('tag a body with cached parts so that the tag changes exactly when the text does', () => {
    const alice = { id: 'a', email: 'alice@acme.test' };
    const bob = { id: 'b', email: 'bob@acme.test' };
    const first = serialiseJson(pageOf([alice, bob]));
    expect(textOf(first)).toBe(JSON.stringify({ items: [alice, bob], nextCursor: null }));
    expect(first.tag).toBeDefined();
    // Other objects, the same text: the same tag (the digests are of the text).
    const again = serialiseJson(pageOf([alice, bob]));
    expect(again.tag).toBe(first.tag);
    // One changed document, a changed cursor, another order: another tag each.
    const tags = [
      serialiseJson(pageOf([alice, { ...bob, email: 'bob@acme.example' }])).tag,
      serialiseJson(pageOf([alice, bob], 'YQ')).tag,
      serialiseJson(pageOf([bob, alice])).tag,
      serialiseJson(pageOf([alice])).tag,
    ];
    expect(new Set([first.tag, ...tags]).size).toBe(5);
    // Nothing cached: no tag of its own (Express's ETag of the bytes applies).
    expect(serialiseJson({ items: [alice, bob] }).tag).toBeUndefined();
  });
});
