import { randomUUID } from 'node:crypto';
import type { CheckpointStore } from '../../apps/publisher/src/checkpoint-store.js';

/**
 * Where one test's checkpoints live. `open` may be called again after the store it gave was
 * closed: a durable adapter's new store must find what the closed one saved.
 */
export interface CheckpointStorePlace {
  open(): CheckpointStore | Promise<CheckpointStore>;
}

export interface CheckpointStoreContractOptions {
  /** True when positions outlive the store that saved them (a file, a server). */
  durable: boolean;
}

/** A name of its own per test, so the suite can also run against a shared server. */
const checkpointName = (): string => `relay-${randomUUID()}`;

/**
 * The CheckpointStore contract (the publisher relay's port): every adapter must pass it. The
 * relay loads its position at start and saves it only after the broker acknowledged (ADR 11),
 * so what is loaded must be exactly the last position saved under that name.
 */
export function checkpointStoreContract(
  name: string,
  place: () => CheckpointStorePlace,
  options: CheckpointStoreContractOptions,
): void {
  describe(`CheckpointStore contract: ${name}`, () => {
    let where: CheckpointStorePlace;
    let store: CheckpointStore;

    beforeEach(async () => {
      where = place();
      store = await where.open();
    });

    afterEach(async () => {
      await store.close();
    });

    it('loads nothing for a name never saved', async () => {
      await expect(store.load(checkpointName())).resolves.toBeUndefined();
    });

    it('loads the last position saved under a name', async () => {
      const relay = checkpointName();
      await store.save(relay, '7');
      await expect(store.load(relay)).resolves.toBe('7');
      await store.save(relay, '12');
      await store.save(relay, '40');
      await expect(store.load(relay)).resolves.toBe('40');
    });

    it('keeps each name apart', async () => {
      const [a, b] = [checkpointName(), checkpointName()];
      await Promise.all([store.save(a, '3'), store.save(b, '5')]);
      await store.save(a, '4');
      expect([await store.load(a), await store.load(b)]).toEqual(['4', '5']);
    });

    it('keeps positions exactly, as decimal strings beyond 2^64 (EventStoreDB positions are bigint)', async () => {
      const positions = ['0', '9007199254740993', '18446744073709551615', '9'.repeat(30)];
      const names = positions.map(() => checkpointName());
      for (const [i, position] of positions.entries()) await store.save(names[i], position);
      for (const [i, position] of positions.entries()) {
        await expect(store.load(names[i])).resolves.toBe(position);
      }
    });

    if (options.durable) {
      it('finds the positions saved before it was closed and opened again', async () => {
        const [a, b] = [checkpointName(), checkpointName()];
        await store.save(a, '21');
        await store.save(a, '22');
        await store.save(b, '18446744073709551616');
        await store.close();

        store = await where.open();
        expect([await store.load(a), await store.load(b)]).toEqual(['22', '18446744073709551616']);
        await store.save(a, '23');
        await expect(store.load(a)).resolves.toBe('23');
      });
    }
  });
}
