import assert from 'node:assert/strict';
import type { Decider } from '../shared/decider.js';
import { DomainError } from '../shared/domain-error.js';

/**
 * Given/when/then for deciders, modelled on Emmett's DeciderSpecification
 * (`src/testing/deciderSpecification.ts`):
 *
 *   const given = DeciderSpecification.for(organizationDecider);
 *   given([created]).when(inviteMember).then([memberInvited]);
 *   given([created]).when(removeLastAdmin).thenThrows('LAST_FULL_ACCESS_MEMBER');
 *
 * Every outcome also checks that `decide` left the state it was given untouched. Uses
 * node:assert rather than jest's `expect` so the file compiles without jest's types.
 */
/**
 * A canonical text of a state, Maps and Sets included. Compared as text because jest runs
 * tests in a separate realm, where structuredClone's copies fail a prototype-strict comparison.
 */
function fingerprint(value: unknown): string {
  return JSON.stringify(value, (_key, item: unknown) => {
    if (item instanceof Map) return { map: [...item.entries()] };
    if (item instanceof Set) return { set: [...item.values()] };
    return item;
  });
}

export const DeciderSpecification = {
  for<Command, Event, State>(decider: Decider<Command, Event, State>) {
    return (givenEvents: Event[] = []) => ({
      when(command: Command) {
        const run = (): { events?: Event[]; error?: unknown } => {
          const state = givenEvents.reduce(
            (current, event) => decider.evolve(current, event),
            decider.initialState(),
          );
          const before = fingerprint(state);
          let outcome: { events?: Event[]; error?: unknown };
          try {
            outcome = { events: decider.decide(command, state) };
          } catch (error) {
            outcome = { error };
          }
          assert.equal(fingerprint(state), before, 'decide must not change the state it is given');
          return outcome;
        };
        return {
          /** Exactly these events, in this order. */
          then(expected: Event[]): Event[] {
            const { events, error } = run();
            if (error !== undefined) throw error;
            assert.deepStrictEqual(events, expected);
            return events ?? [];
          },
          /** Accepted, but nothing to record (an idempotent repeat). */
          thenNothing(): void {
            const { events, error } = run();
            if (error !== undefined) throw error;
            assert.deepStrictEqual(events, []);
          },
          /** Refused with this code; refusals produce no events by construction (they throw). */
          thenThrows(code: string, check?: (error: DomainError) => void): DomainError {
            const { events, error } = run();
            assert.ok(
              error !== undefined,
              `expected ${code}, but the command was accepted with ${JSON.stringify(events)}`,
            );
            if (!(error instanceof DomainError)) throw error;
            assert.equal(error.code, code, `expected ${code}, got ${error.code}: ${error.message}`);
            check?.(error);
            return error;
          },
        };
      },
    });
  },
};
