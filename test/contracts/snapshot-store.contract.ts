import { randomUUID } from 'node:crypto';
import {
  LATEST_ONLY,
  SPREAD_OVER_HISTORY,
  thinnedSpacing,
  type Snapshot,
  type SnapshotStore,
} from '#libs/snapshots';

/** A stream of its own per test, so the suite can also run against a shared server. */
const streamName = (): string => `organization-${randomUUID()}`;

const bytes = (...values: number[]) => new Uint8Array(values);

function snapshot(revision: number, overrides: Partial<Snapshot> = {}): Snapshot {
  return {
    revision,
    position: String(100 + revision * 10),
    time: new Date(Date.UTC(2026, 0, 1) + revision * 1000).toISOString(),
    foldVersion: 'v1',
    state: bytes(revision % 256, 1, 2, 3),
    ...overrides,
  };
}

/**
 * The SnapshotStore contract (ADR 19): every adapter must pass it. A snapshot is a cache of a
 * fold, so what matters is that `latest` never hands back one that does not match the query:
 * another stream's, another fold version's, or one past the bound asked.
 */
export function snapshotStoreContract(name: string, open: () => SnapshotStore): void {
  describe(`SnapshotStore contract: ${name}`, () => {
    let store: SnapshotStore;

    beforeEach(() => {
      store = open();
    });

    afterEach(async () => {
      await store.close();
    });

    it('finds nothing for a stream never snapshotted', async () => {
      await expect(store.latest(streamName(), { foldVersion: 'v1' })).resolves.toBeUndefined();
    });

    it('hands back the newest snapshot, bytes and tags as saved', async () => {
      const stream = streamName();
      await store.save(stream, snapshot(9));
      await store.save(stream, snapshot(19));
      // A large one, as a 100,000-member organization's is (several megabytes).
      const large = Buffer.alloc(5_000_000);
      for (let i = 0; i < large.length; i++) large[i] = (i * 7) % 251;
      await store.save(stream, snapshot(29, { state: large }));

      const latest = await store.latest(stream, { foldVersion: 'v1' });

      // Compared as buffers: jest's deep equality walks 5 MB one index at a time.
      expect({ ...latest, state: undefined }).toEqual({ ...snapshot(29), state: undefined });
      expect(Buffer.from(latest!.state).equals(large)).toBe(true);
      await store.save(stream, snapshot(30));
      expect(await store.latest(stream, { foldVersion: 'v1' })).toEqual(snapshot(30));
    });

    it('ignores snapshots of another fold version (a changed evolve: unused, never wrong)', async () => {
      const stream = streamName();
      await store.save(stream, snapshot(9, { foldVersion: 'v1' }));

      await expect(store.latest(stream, { foldVersion: 'v2' })).resolves.toBeUndefined();
      await store.save(stream, snapshot(19, { foldVersion: 'v2' }));
      expect((await store.latest(stream, { foldVersion: 'v2' }))?.revision).toBe(19);
      // The release that saved v2 cannot use v1: it is dropped.
      await expect(store.latest(stream, { foldVersion: 'v1' })).resolves.toBeUndefined();
    });

    it('keeps each stream apart', async () => {
      const [a, b] = [streamName(), streamName()];
      await Promise.all([store.save(a, snapshot(4)), store.save(b, snapshot(7))]);

      expect((await store.latest(a, { foldVersion: 'v1' }))?.revision).toBe(4);
      expect((await store.latest(b, { foldVersion: 'v1' }))?.revision).toBe(7);
    });

    it('R33 finds the newest at or before a revision, a position or an instant', async () => {
      const stream = streamName();
      for (const revision of [0, 10, 20, 30]) {
        await store.save(stream, snapshot(revision), SPREAD_OVER_HISTORY);
      }
      const at = async (query: object) =>
        (await store.latest(stream, { foldVersion: 'v1', ...query }))?.revision;

      expect(await at({ maxRevision: 25 })).toBe(20);
      expect(await at({ maxRevision: 20 })).toBe(20);
      expect(await at({ maxPosition: '299' })).toBe(10);
      expect(await at({ maxPosition: '300' })).toBe(20);
      expect(await at({ maxTime: Date.parse(snapshot(30).time) - 1 })).toBe(20);
      expect(await at({ maxTime: Date.parse(snapshot(30).time) })).toBe(30);
      expect(await at({ maxRevision: 30, maxPosition: '250' })).toBe(10);
      expect(await at({ maxPosition: '99' })).toBeUndefined();
    });

    it('orders positions as numbers, not as text, however wide', async () => {
      const stream = streamName();
      await store.save(stream, snapshot(1, { position: '9' }), SPREAD_OVER_HISTORY);
      await store.save(stream, snapshot(2, { position: '10' }), SPREAD_OVER_HISTORY);
      await store.save(
        stream,
        snapshot(3, { position: '18446744073709551615' }),
        SPREAD_OVER_HISTORY,
      );

      const at = async (maxPosition: string) =>
        (await store.latest(stream, { foldVersion: 'v1', maxPosition }))?.revision;
      expect(await at('10')).toBe(2);
      expect(await at('18446744073709551614')).toBe(2);
      expect(await at('18446744073709551615')).toBe(3);
    });

    it('saving the same revision again replaces it', async () => {
      const stream = streamName();
      await store.save(stream, snapshot(5, { state: bytes(1) }));
      await store.save(stream, snapshot(5, { state: bytes(2) }));

      expect((await store.latest(stream, { foldVersion: 'v1' }))?.state).toEqual(bytes(2));
    });

    it('keeps a bounded number per stream: the latest two when only the latest are wanted', async () => {
      const stream = streamName();
      for (let revision = 0; revision < 10; revision++) {
        await store.save(stream, snapshot(revision), LATEST_ONLY);
      }

      expect(await kept(store, stream, 9)).toEqual([8, 9]);
    });

    it('R33 spreads a bounded number over a long history, evenly, the newest kept', async () => {
      const stream = streamName();
      for (let revision = 99; revision < 20_000; revision += 100) {
        await store.save(stream, snapshot(revision), SPREAD_OVER_HISTORY);
      }

      const revisions = await kept(store, stream, 19_999);
      const { keepLatest, maxThinned } = SPREAD_OVER_HISTORY;
      expect(revisions.length).toBeLessThanOrEqual(keepLatest + maxThinned);
      expect(revisions.length).toBeGreaterThanOrEqual(maxThinned / 2);
      expect(revisions.at(-1)).toBe(19_999);
      // No part of the history is more than about two spacings from a snapshot.
      const spacing = thinnedSpacing(19_999, SPREAD_OVER_HISTORY);
      const gaps = revisions.map((r, i) => r - (revisions[i - 1] ?? -1));
      expect(Math.max(...gaps)).toBeLessThanOrEqual(2 * spacing + 100);
    });
  });
}

/** The revisions a stream keeps, found through `latest` alone (the port has no listing). */
async function kept(store: SnapshotStore, stream: string, head: number): Promise<number[]> {
  const revisions: number[] = [];
  let bound = head;
  while (bound >= 0) {
    const found = await store.latest(stream, { foldVersion: 'v1', maxRevision: bound });
    if (!found) break;
    revisions.unshift(found.revision);
    bound = found.revision - 1;
  }
  return revisions;
}
