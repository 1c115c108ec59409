import fc from 'fast-check';
import { organizationDecider, type OrganizationEvent } from '#libs/domain';
import { SqliteEventStore } from '#libs/event-store';
import { ALL_PROJECTIONS, type ProjectedEvent } from '#libs/read-models';
import {
  applyChanges,
  recomputed,
  snapshot,
  type Collections,
} from '../../libs/read-models/src/projections/testing/test-projector.js';
import { CommandExecutor } from '../../apps/command-service/src/infrastructure/command-executor.js';
import { OrganizationHistory } from '../../apps/query-service/src/history/organization-history.js';
import { createOrganization, history, newWorld, runStep, sequence } from './command-sequences.js';

/**
 * R33's one code path, over random histories: the documents an asOf read is answered from —
 * documentsOf over OrganizationHistory's fold to a random position — are exactly the documents
 * the projections built event by event up to that position, as the live read models hold them.
 */
describe('R33 the past as the projections built it', () => {
  it('R33 property: documentsOf(history.at(position).state) equals the incrementally projected documents at that position', async () => {
    await fc.assert(
      fc.asyncProperty(
        sequence({ minLength: 0, maxLength: 40 }),
        // Which event to stop at, as a share of the history (fc.double leans to the ends).
        fc.integer({ min: 0, max: 999 }),
        async (steps, where) => {
          const store = new SqliteEventStore(':memory:');
          const executor = new CommandExecutor(store, 0);
          const world = newWorld();
          try {
            await createOrganization(executor, world);
            for (const s of steps) await runStep(executor, world, s);
            const events = await history(store);
            const upTo = Math.floor((where / 1_000) * events.length);
            const position = events[upTo].position;

            // The projector in miniature, on the recorded events themselves (their metadata
            // and times as stored): scope before, evolve, project after, as the projector does.
            const collections: Collections = new Map();
            let state = organizationDecider.initialState();
            for (const event of events.slice(0, upTo + 1)) {
              const projected = event as unknown as ProjectedEvent;
              const scopes = ALL_PROJECTIONS.map((p) => p.scope(projected, state));
              state = organizationDecider.evolve(state, event as unknown as OrganizationEvent);
              applyChanges(
                collections,
                ALL_PROJECTIONS.flatMap((p, i) => p.project(projected, scopes[i], state)),
              );
            }

            const past = await new OrganizationHistory(store).at(world.organizationId, {
              kind: 'position',
              position,
            });
            expect(past.position).toBe(position);
            expect(snapshot(recomputed(past.state))).toEqual(snapshot(collections));
          } finally {
            await store.close();
          }
        },
      ),
      { numRuns: 60 },
    );
  });
});
