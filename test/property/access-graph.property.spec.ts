import fc from 'fast-check';
import { SqliteEventStore } from '#libs/event-store';
import { CommandExecutor } from '../../apps/command-service/src/infrastructure/command-executor.js';
import { brokenInvariants, foldOracle } from './access-graph-oracle.js';
import { createOrganization, history, newWorld, runStep, sequence } from './command-sequences.js';

/**
 * Random sequences of member, group, workspace, project, dashboard, key and catalog commands
 * from random actors, run through the real command path on a real (in-memory SQLite) store.
 * After every step the history must satisfy the invariants — R8, R25, nobody who left
 * holds a role — as read by an independent oracle, and a refused command must have appended
 * nothing.
 */
describe('the access graph under random commands', () => {
  it('R8 R11 R19 R25 hold after every step, and every refused command appends nothing', async () => {
    await fc.assert(
      fc.asyncProperty(sequence({ minLength: 0, maxLength: 60 }), async (steps) => {
        const store = new SqliteEventStore(':memory:');
        const executor = new CommandExecutor(store, 0);
        const world = newWorld();
        try {
          await createOrganization(executor, world);
          for (const s of steps) {
            const before = await store.headPosition();
            if (await runStep(executor, world, s)) {
              expect(await store.headPosition()).toBe(before);
            }
            expect(brokenInvariants(foldOracle(await history(store)))).toEqual([]);
          }
        } finally {
          await store.close();
        }
      }),
      { numRuns: 200 },
    );
    // 200 histories, each re-read by the oracle after every step: 5–10 s alone, over jest's
    // default 20 s on a loaded machine. A budget for a busy CI box, not a speed assertion.
  }, 120_000);
});
