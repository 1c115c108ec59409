import { randomUUID } from 'node:crypto';
import { START } from '#libs/event-store';
import {
  type CollectionIndexes,
  type Document,
  type DocumentChange,
  type DocumentStore,
  DocumentStoreUnavailableError,
  DocumentStoreUsageError,
} from '#libs/read-models';

/**
 * The DocumentStore contract: every adapter must pass it. It runs against a shared server too,
 * so every test works in organizations and checkpoints it made up itself, and collection-wide
 * facts are only checked after `reset` of the suite's own collections.
 */

/** The suite's own collections, named so they cannot clash with the real read models. */
export const THINGS = 'contract_things';
export const NOTES = 'contract_notes';
export const CONTRACT_INDEXES: CollectionIndexes = {
  [THINGS]: ['organizationId', 'kind', 'ownerId', 'active', 'rank'],
  [NOTES]: ['organizationId'],
};

export type DocumentStoreFactory = (
  indexes: CollectionIndexes,
) => DocumentStore | Promise<DocumentStore>;

export function documentStoreContract(name: string, factory: DocumentStoreFactory): void {
  describe(`DocumentStore contract: ${name}`, () => {
    let store: DocumentStore;

    beforeEach(async () => {
      store = await factory(CONTRACT_INDEXES);
    });

    afterEach(async () => {
      await store.close();
    });

    describe('put, get and delete', () => {
      it('reads back a put document whole, nested values included', async () => {
        const org = organizationId();
        const document = thing(org, 'a', {
          tags: ['x', 'y'],
          usage: { projects: 2, nested: [{ deep: true }, null] },
          ratio: 0.25,
          note: null,
        });

        await put(store, document);

        expect(await store.get(THINGS, document._id)).toEqual(document);
      });

      it('reads an absent id as undefined, in a collection that holds other documents', async () => {
        const org = organizationId();
        await put(store, thing(org, 'a'));

        await expect(store.get(THINGS, `${org}:absent`)).resolves.toBeUndefined();
      });

      it('replaces the whole document on a second put: fields left out are gone', async () => {
        const org = organizationId();
        await put(store, thing(org, 'a', { extra: 'first', kind: 'widget' }));

        await put(store, thing(org, 'a', { kind: 'gadget' }));

        const stored = await store.get(THINGS, `${org}:a`);
        expect(stored).toEqual(thing(org, 'a', { kind: 'gadget' }));
        expect(stored).not.toHaveProperty('extra');
        expect(
          await ids(store.find(THINGS, { organizationId: org, kind: 'widget' }, PAGE)),
        ).toEqual([]);
      });

      it('deletes one document, and deleting an absent one changes nothing', async () => {
        const org = organizationId();
        await put(store, thing(org, 'a'), thing(org, 'b'));

        await apply(store, { type: 'delete', collection: THINGS, id: `${org}:a` });
        await apply(store, { type: 'delete', collection: THINGS, id: `${org}:never` });

        await expect(store.get(THINGS, `${org}:a`)).resolves.toBeUndefined();
        expect(await ids(store.find(THINGS, { organizationId: org }, PAGE))).toEqual([`${org}:b`]);
      });

      it('keeps collections apart: the same id in two collections is two documents', async () => {
        const org = organizationId();
        const id = `${org}:shared`;
        await apply(
          store,
          { type: 'put', collection: THINGS, document: thing(org, 'shared', { kind: 'thing' }) },
          { type: 'put', collection: NOTES, document: { _id: id, organizationId: org, text: 'n' } },
        );

        await apply(store, { type: 'delete', collection: NOTES, id });

        expect(await store.get(THINGS, id)).toMatchObject({ kind: 'thing' });
        await expect(store.get(NOTES, id)).resolves.toBeUndefined();
      });

      it('applies the changes of one call in order', async () => {
        const org = organizationId();

        await apply(
          store,
          { type: 'put', collection: THINGS, document: thing(org, 'a', { rank: 1 }) },
          { type: 'delete', collection: THINGS, id: `${org}:a` },
          { type: 'put', collection: THINGS, document: thing(org, 'b', { rank: 1 }) },
          { type: 'put', collection: THINGS, document: thing(org, 'b', { rank: 2 }) },
        );

        await expect(store.get(THINGS, `${org}:a`)).resolves.toBeUndefined();
        expect(await store.get(THINGS, `${org}:b`)).toMatchObject({ rank: 2 });
      });
    });

    describe('replaceWhere', () => {
      it('replaces only the slice matching the filter', async () => {
        const org = organizationId();
        const other = organizationId();
        await put(
          store,
          thing(org, 'w1', { kind: 'widget' }),
          thing(org, 'w2', { kind: 'widget' }),
          thing(org, 'g1', { kind: 'gadget' }),
          thing(other, 'w1', { kind: 'widget' }),
        );

        await apply(store, {
          type: 'replaceWhere',
          collection: THINGS,
          filter: { organizationId: org, kind: 'widget' },
          documents: [
            thing(org, 'w2', { kind: 'widget', rank: 9 }),
            thing(org, 'w3', { kind: 'widget' }),
          ],
        });

        expect(await ids(store.find(THINGS, { organizationId: org }, PAGE))).toEqual([
          `${org}:g1`,
          `${org}:w2`,
          `${org}:w3`,
        ]);
        expect(await store.get(THINGS, `${org}:w2`)).toMatchObject({ rank: 9 });
        expect(await ids(store.find(THINGS, { organizationId: other }, PAGE))).toEqual([
          `${other}:w1`,
        ]);
      });

      it('with no documents, deletes the slice', async () => {
        const org = organizationId();
        await put(
          store,
          thing(org, 'w1', { kind: 'widget' }),
          thing(org, 'g1', { kind: 'gadget' }),
        );

        await apply(store, {
          type: 'replaceWhere',
          collection: THINGS,
          filter: { organizationId: org, kind: 'widget' },
          documents: [],
        });

        expect(await ids(store.find(THINGS, { organizationId: org }, PAGE))).toEqual([`${org}:g1`]);
      });

      it('puts a new-slice document whose id was held outside the slice, as a put would', async () => {
        const org = organizationId();
        await put(store, thing(org, 'x', { kind: 'gadget' }));

        await apply(store, {
          type: 'replaceWhere',
          collection: THINGS,
          filter: { organizationId: org, kind: 'widget' },
          documents: [thing(org, 'x', { kind: 'widget' })],
        });

        expect(await store.get(THINGS, `${org}:x`)).toMatchObject({ kind: 'widget' });
        expect(await ids(store.find(THINGS, { organizationId: org }, PAGE))).toEqual([`${org}:x`]);
      });
    });

    describe('filters', () => {
      it('match on every field given, and only on those', async () => {
        const org = organizationId();
        await put(
          store,
          thing(org, 'a', { kind: 'widget', ownerId: 'u1', active: true }),
          thing(org, 'b', { kind: 'widget', ownerId: 'u2', active: true }),
          thing(org, 'c', { kind: 'widget', ownerId: 'u1', active: false }),
          thing(org, 'd', { kind: 'gadget', ownerId: 'u1', active: true }),
          thing(organizationId(), 'a', { kind: 'widget', ownerId: 'u1', active: true }),
        );

        const find = (filter: Record<string, string | boolean>) =>
          ids(store.find(THINGS, { organizationId: org, ...filter }, PAGE));

        expect(await find({ kind: 'widget' })).toEqual([`${org}:a`, `${org}:b`, `${org}:c`]);
        expect(await find({ kind: 'widget', ownerId: 'u1' })).toEqual([`${org}:a`, `${org}:c`]);
        expect(await find({ kind: 'widget', ownerId: 'u1', active: true })).toEqual([`${org}:a`]);
        expect(await find({ ownerId: 'u3' })).toEqual([]);
        expect(await find({ _id: `${org}:d` })).toEqual([`${org}:d`]);
        expect(await find({ _id: `${org}:d`, kind: 'widget' })).toEqual([]);
      });

      it('keep types apart: "1", 1 and true are three values', async () => {
        const org = organizationId();
        await put(
          store,
          thing(org, 'string', { rank: '1' }),
          thing(org, 'number', { rank: 1 }),
          thing(org, 'boolean', { rank: true }),
          thing(org, 'float', { rank: 1.5 }),
        );

        const byRank = (rank: string | number | boolean) =>
          ids(store.find(THINGS, { organizationId: org, rank }, PAGE));

        expect(await byRank('1')).toEqual([`${org}:string`]);
        expect(await byRank(1)).toEqual([`${org}:number`]);
        expect(await byRank(true)).toEqual([`${org}:boolean`]);
        expect(await byRank(1.5)).toEqual([`${org}:float`]);
      });

      it('match null against a null or a missing field, never against an object or array', async () => {
        const org = organizationId();
        await put(
          store,
          thing(org, 'null', { ownerId: null }),
          thing(org, 'missing'),
          thing(org, 'set', { ownerId: 'u1' }),
          thing(org, 'array', { ownerId: ['u1'] }),
          thing(org, 'object', { ownerId: { id: 'u1' } }),
        );

        expect(await ids(store.find(THINGS, { organizationId: org, ownerId: null }, PAGE))).toEqual(
          [`${org}:missing`, `${org}:null`],
        );
      });

      it('follow a document whose filtered field changes', async () => {
        const org = organizationId();
        await put(store, thing(org, 'a', { kind: 'widget' }));
        await put(store, thing(org, 'a', { kind: 'gadget' }));

        expect(
          await ids(store.find(THINGS, { organizationId: org, kind: 'widget' }, PAGE)),
        ).toEqual([]);
        expect(
          await ids(store.find(THINGS, { organizationId: org, kind: 'gadget' }, PAGE)),
        ).toEqual([`${org}:a`]);
      });

      it('keep up with puts, changes and deletes made after a read', async () => {
        const org = organizationId();
        const widgets = () =>
          ids(store.find(THINGS, { organizationId: org, kind: 'widget' }, PAGE));
        const everything = () => ids(store.find(THINGS, { organizationId: org }, PAGE));
        await put(store, thing(org, 'b', { kind: 'widget' }), thing(org, 'd', { kind: 'widget' }));
        expect(await widgets()).toEqual([`${org}:b`, `${org}:d`]);
        expect(await everything()).toEqual([`${org}:b`, `${org}:d`]);

        await put(store, thing(org, 'a', { kind: 'widget' }), thing(org, 'c', { kind: 'widget' }));
        await put(store, thing(org, 'b', { kind: 'gadget' }));
        await apply(store, { type: 'delete', collection: THINGS, id: `${org}:d` });

        expect(await widgets()).toEqual([`${org}:a`, `${org}:c`]);
        expect(await everything()).toEqual([`${org}:a`, `${org}:b`, `${org}:c`]);
        expect(await collect(store.scan(THINGS, { organizationId: org, kind: 'widget' }))).toEqual([
          thing(org, 'a', { kind: 'widget' }),
          thing(org, 'c', { kind: 'widget' }),
        ]);
      });

      it('refuses a field that is not indexed, naming it', async () => {
        const error = await store
          .find(THINGS, { organizationId: organizationId(), colour: 'red' }, PAGE)
          .catch((e: unknown) => e);

        expect(error).toBeInstanceOf(DocumentStoreUsageError);
        expect(error).toMatchObject({
          code: 'UNINDEXED_FILTER',
          message: expect.stringMatching(/colour/),
        });
      });

      it('refuses values that are not scalars, so no operator reaches a server', async () => {
        const org = organizationId();
        await put(store, thing(org, 'a', { kind: 'widget' }));

        for (const kind of [{ $ne: null }, ['widget'], Number.NaN, undefined]) {
          const error = await store
            .find(THINGS, { organizationId: org, kind } as never, PAGE)
            .catch((e: unknown) => e);
          expect(error).toMatchObject({ code: 'INVALID_FILTER' });
        }
      });

      it('refuses a collection the store was not built with', async () => {
        await expect(store.get('contract_unknown', 'x')).rejects.toMatchObject({
          code: 'UNKNOWN_COLLECTION',
        });
        await expect(
          store.find('contract_unknown', { organizationId: 'o' }, PAGE),
        ).rejects.toMatchObject({ code: 'UNKNOWN_COLLECTION' });
      });
    });

    describe('find pages', () => {
      it('walk every match once, in _id order, across pages', async () => {
        const org = organizationId();
        const all = Array.from({ length: 23 }, (_, i) => `${org}:${String(i).padStart(2, '0')}`);
        await put(
          store,
          ...shuffle(all).map((id) => thing(org, id.slice(org.length + 1), { kind: 'widget' })),
          thing(org, 'zz-gadget', { kind: 'gadget' }),
        );

        const seen: string[] = [];
        const pageSizes: number[] = [];
        let after: string | undefined;
        for (;;) {
          const page = await store.find(
            THINGS,
            { organizationId: org, kind: 'widget' },
            { limit: 5, ...(after === undefined ? {} : { after }) },
          );
          pageSizes.push(page.length);
          seen.push(...page.map((d) => d._id));
          if (page.length < 5) break;
          after = page[page.length - 1]._id;
        }

        expect(seen).toEqual(all);
        expect(pageSizes).toEqual([5, 5, 5, 5, 3]);
      });

      it('take a cursor that is not itself an id, and an exclusive one that is', async () => {
        const org = organizationId();
        await put(store, thing(org, 'a'), thing(org, 'b'), thing(org, 'c'), thing(org, 'd'));

        expect(
          await ids(store.find(THINGS, { organizationId: org }, { limit: 2, after: `${org}:bb` })),
        ).toEqual([`${org}:c`, `${org}:d`]);
        expect(
          await ids(store.find(THINGS, { organizationId: org }, { limit: 10, after: `${org}:d` })),
        ).toEqual([]);
        expect(await ids(store.find(THINGS, { organizationId: org }, { limit: 0 }))).toEqual([]);
      });

      it('see writes made between pages without repeating or skipping the untouched', async () => {
        const org = organizationId();
        await put(store, thing(org, 'a'), thing(org, 'c'), thing(org, 'e'));

        const first = await ids(store.find(THINGS, { organizationId: org }, { limit: 2 }));
        await put(store, thing(org, 'b'), thing(org, 'd'));
        const rest = await ids(
          store.find(THINGS, { organizationId: org }, { limit: 10, after: first[1] }),
        );

        expect(first).toEqual([`${org}:a`, `${org}:c`]);
        expect(rest).toEqual([`${org}:d`, `${org}:e`]);
      });

      it('refuse a negative or fractional limit', async () => {
        for (const limit of [-1, 1.5]) {
          await expect(
            store.find(THINGS, { organizationId: organizationId() }, { limit }),
          ).rejects.toMatchObject({ code: 'INVALID_REQUEST' });
        }
      });
    });

    describe('scan', () => {
      it('yields every match exactly once, in _id order, past any page size', async () => {
        const org = organizationId();
        const widgets = Array.from({ length: 1234 }, (_, i) =>
          thing(org, `w${i}`, { kind: 'widget' }),
        );
        const gadgets = Array.from({ length: 50 }, (_, i) =>
          thing(org, `g${i}`, { kind: 'gadget' }),
        );
        await put(store, ...shuffle([...widgets, ...gadgets]));
        await put(store, thing(organizationId(), 'w1', { kind: 'widget' }));

        const scanned = await collect(store.scan(THINGS, { organizationId: org, kind: 'widget' }));

        expect(scanned.map((d) => d._id)).toEqual(widgets.map((d) => d._id).sort());
        expect(scanned.every((d) => d.kind === 'widget' && d.organizationId === org)).toBe(true);
      });

      it('yields nothing when nothing matches', async () => {
        expect(await collect(store.scan(THINGS, { organizationId: organizationId() }))).toEqual([]);
      });

      it('lets writes go on while a scan is open, and can be left early', async () => {
        const org = organizationId();
        await put(store, ...Array.from({ length: 1100 }, (_, i) => thing(org, `t${1000 + i}`)));

        const iterator = store.scan(THINGS, { organizationId: org })[Symbol.asyncIterator]();
        const first = await iterator.next();
        await put(store, thing(org, 'written-during-scan'));
        await apply(store, { type: 'delete', collection: THINGS, id: `${org}:t2099` });
        let rest = 0;
        let last = '';
        for (let next = await iterator.next(); !next.done; next = await iterator.next()) {
          rest += 1;
          last = next.value._id;
          if (rest === 600) break;
        }
        await iterator.return?.();

        expect(first.value).toMatchObject({ _id: `${org}:t1000` });
        expect(rest).toBe(600);
        expect(last).toBe(`${org}:t1600`);
        expect(await store.get(THINGS, `${org}:written-during-scan`)).toBeDefined();
        await put(store, thing(org, 'after-scan'));
        expect(await store.get(THINGS, `${org}:after-scan`)).toBeDefined();
      });

      it('refuses a filter on a field that is not indexed', async () => {
        await expect(
          collect(store.scan(THINGS, { organizationId: organizationId(), colour: 'red' })),
        ).rejects.toMatchObject({ code: 'UNINDEXED_FILTER' });
      });
    });

    describe('checkpoints', () => {
      it('reads an absent checkpoint as START', async () => {
        await expect(store.checkpoint(checkpointName())).resolves.toBe(START);
        expect(START).toBe('0');
      });

      it('moves every named checkpoint with the changes, and no other', async () => {
        const [one, two, untouched] = [checkpointName(), checkpointName(), checkpointName()];
        const org = organizationId();
        await store.apply([], [untouched], '5');

        await store.apply(
          [{ type: 'put', collection: THINGS, document: thing(org, 'a') }],
          [one, two],
          '42',
        );
        await store.apply([], [two], '43');

        expect(await store.checkpoint(one)).toBe('42');
        expect(await store.checkpoint(two)).toBe('43');
        expect(await store.checkpoint(untouched)).toBe('5');
        expect(await store.get(THINGS, `${org}:a`)).toBeDefined();
      });

      it('keeps positions as exact decimal strings, beyond 2^53', async () => {
        const name = checkpointName();
        await store.apply([], [name], '18446744073709551615');

        await expect(store.checkpoint(name)).resolves.toBe('18446744073709551615');
      });

      it('refuses a position that is not a decimal string', async () => {
        for (const position of ['-1', '1.5', 'abc', '', 7 as unknown as string]) {
          await expect(store.apply([], [checkpointName()], position)).rejects.toMatchObject({
            code: 'INVALID_REQUEST',
          });
        }
      });
    });

    describe('reset', () => {
      it('empties the named collections and removes the named checkpoints, nothing else', async () => {
        const org = organizationId();
        const [removed, kept] = [checkpointName(), checkpointName()];
        await store.apply(
          [
            { type: 'put', collection: THINGS, document: thing(org, 'a', { kind: 'widget' }) },
            { type: 'put', collection: NOTES, document: { _id: `${org}:n`, organizationId: org } },
          ],
          [removed, kept],
          '7',
        );

        await store.reset([THINGS], [removed]);

        expect(await collect(store.scan(THINGS, {}))).toEqual([]);
        expect(await store.find(THINGS, { organizationId: org, kind: 'widget' }, PAGE)).toEqual([]);
        await expect(store.get(THINGS, `${org}:a`)).resolves.toBeUndefined();
        expect(await store.get(NOTES, `${org}:n`)).toBeDefined();
        expect(await store.checkpoint(removed)).toBe(START);
        expect(await store.checkpoint(kept)).toBe('7');
      });

      it('leaves the collection usable, indexes included', async () => {
        const org = organizationId();
        await put(store, thing(org, 'a', { kind: 'widget' }));
        await store.reset([THINGS], []);

        await put(store, thing(org, 'b', { kind: 'widget' }));

        expect(
          await ids(store.find(THINGS, { organizationId: org, kind: 'widget' }, PAGE)),
        ).toEqual([`${org}:b`]);
      });
    });

    describe('atomicity of apply', () => {
      it('applies nothing, and moves no checkpoint, when a document cannot be stored', async () => {
        const org = organizationId();
        const name = checkpointName();
        await store.apply([], [name], '1');
        await put(store, thing(org, 'kept', { kind: 'widget' }));

        const circular: Record<string, unknown> = {};
        circular.self = circular;
        const unstorable: unknown[] = [10n, new Date(0), new Map(), () => 1, Number.NaN, circular];
        for (const value of unstorable) {
          const error = await store
            .apply(
              [
                { type: 'put', collection: THINGS, document: thing(org, 'first') },
                { type: 'delete', collection: THINGS, id: `${org}:kept` },
                { type: 'put', collection: THINGS, document: thing(org, 'bad', { value }) },
              ],
              [name],
              '2',
            )
            .catch((e: unknown) => e);
          expect(error).toBeInstanceOf(DocumentStoreUsageError);
          expect(error).toMatchObject({ code: 'INVALID_DOCUMENT' });
        }

        await expect(store.get(THINGS, `${org}:first`)).resolves.toBeUndefined();
        expect(await store.get(THINGS, `${org}:kept`)).toBeDefined();
        expect(await store.checkpoint(name)).toBe('1');
      });

      it('applies nothing when a later change names an unknown collection', async () => {
        const org = organizationId();
        const name = checkpointName();

        await expect(
          store.apply(
            [
              { type: 'put', collection: THINGS, document: thing(org, 'first') },
              { type: 'put', collection: 'contract_unknown', document: thing(org, 'x') },
            ],
            [name],
            '3',
          ),
        ).rejects.toMatchObject({ code: 'UNKNOWN_COLLECTION' });

        await expect(store.get(THINGS, `${org}:first`)).resolves.toBeUndefined();
        expect(await store.checkpoint(name)).toBe(START);
      });

      it('refuses documents without a string _id or organizationId', async () => {
        for (const document of [
          { organizationId: 'o' },
          { _id: '', organizationId: 'o' },
          { _id: 'x' },
          { _id: 'x', organizationId: 7 },
        ]) {
          await expect(
            store.apply([{ type: 'put', collection: THINGS, document } as never], [], '1'),
          ).rejects.toMatchObject({ code: 'INVALID_DOCUMENT' });
        }
      });
    });

    describe('isolation of stored documents', () => {
      it('is not reached by changes to the object that was put', async () => {
        const org = organizationId();
        const document = thing(org, 'a', { kind: 'widget', tags: ['x'], usage: { n: 1 } });
        await put(store, document);

        document.kind = 'changed';
        (document.tags as string[]).push('y');
        (document.usage as { n: number }).n = 2;

        expect(await store.get(THINGS, `${org}:a`)).toEqual(
          thing(org, 'a', { kind: 'widget', tags: ['x'], usage: { n: 1 } }),
        );
        expect(
          await ids(store.find(THINGS, { organizationId: org, kind: 'widget' }, PAGE)),
        ).toEqual([`${org}:a`]);
      });

      it('is not reached by changes to documents it returned', async () => {
        const org = organizationId();
        const original = thing(org, 'a', { kind: 'widget', tags: ['x'], usage: { n: 1 } });
        await put(store, original);

        const returned = [
          (await store.get(THINGS, `${org}:a`))!,
          ...(await store.find(THINGS, { organizationId: org }, PAGE)),
          ...(await collect(store.scan(THINGS, { organizationId: org }))),
        ];
        expect(returned).toHaveLength(3);
        for (const document of returned) {
          // A store may hand out frozen documents (the mutation throws) or copies (it lands on
          // the copy); either way the store must not change.
          attempt(() => (document.kind = 'changed'));
          attempt(() => (document.tags as string[]).push('y'));
          attempt(() => ((document.usage as { n: number }).n = 2));
          attempt(() => delete (document as Partial<Document>)._id);
        }

        expect(await store.get(THINGS, `${org}:a`)).toEqual(original);
        expect(
          await ids(store.find(THINGS, { organizationId: org, kind: 'widget' }, PAGE)),
        ).toEqual([`${org}:a`]);
      });

      it('keeps a "__proto__" key as data, not as a prototype', async () => {
        const org = organizationId();
        const document = JSON.parse(
          `{"_id":"${org}:p","organizationId":"${org}","map":{"__proto__":{"polluted":true}}}`,
        ) as Document;
        await put(store, document);

        const stored = (await store.get(THINGS, `${org}:p`))!;
        const map = stored.map as Record<string, unknown>;
        expect(Object.keys(map)).toEqual(['__proto__']);
        expect((map as { polluted?: unknown }).polluted).toBeUndefined();
      });
    });

    it('refuses every operation once closed', async () => {
      const closed = await factory(CONTRACT_INDEXES);
      await closed.close();

      await expect(closed.get(THINGS, 'x')).rejects.toBeInstanceOf(DocumentStoreUnavailableError);
      await expect(closed.apply([], ['c'], '1')).rejects.toBeInstanceOf(
        DocumentStoreUnavailableError,
      );
      await expect(closed.checkpoint('c')).rejects.toBeInstanceOf(DocumentStoreUnavailableError);
      await expect(collect(closed.scan(THINGS, {}))).rejects.toBeInstanceOf(
        DocumentStoreUnavailableError,
      );
    });
  });
}

const PAGE = { limit: 1000 };

export function organizationId(): string {
  return `org-${randomUUID()}`;
}

export function checkpointName(): string {
  return `contract-${randomUUID()}`;
}

/** A document of THINGS with id `<org>:<key>`. */
export function thing(org: string, key: string, fields: Record<string, unknown> = {}): Document {
  return { _id: `${org}:${key}`, organizationId: org, ...fields };
}

export async function put(store: DocumentStore, ...documents: Document[]): Promise<void> {
  await store.apply(
    documents.map((document) => ({ type: 'put', collection: THINGS, document })),
    [],
    '1',
  );
}

export async function apply(store: DocumentStore, ...changes: DocumentChange[]): Promise<void> {
  await store.apply(changes, [], '1');
}

export async function ids(documents: Promise<Document[]>): Promise<string[]> {
  return (await documents).map((document) => document._id);
}

export async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of iterable) items.push(item);
  return items;
}

function attempt(mutate: () => unknown): void {
  try {
    mutate();
  } catch {
    // Frozen: refused, which is as good as ignored for the store.
  }
}

function shuffle<T>(items: T[]): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [copy[i], copy[j]] = [copy[j], copy[i]];
  }
  return copy;
}
