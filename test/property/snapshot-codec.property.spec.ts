import fc from 'fast-check';
import { Provenance } from '#libs/access';
import { organizationDecider, type OrganizationEvent, type OrganizationState } from '#libs/domain';
import { SqliteEventStore, type RecordedEvent } from '#libs/event-store';
import { AccessGraphs } from '#libs/read-models';
import {
  decodeOrganizationHistorySnapshot,
  decodeSnapshotValue,
  encodeOrganizationHistorySnapshot,
  encodeSnapshotValue,
} from '#libs/snapshots';
import { CommandExecutor } from '../../apps/command-service/src/infrastructure/command-executor.js';
import { createOrganization, history, newWorld, runStep, sequence } from './command-sequences.js';

function fold(state: OrganizationState, events: RecordedEvent[]): OrganizationState {
  for (const event of events) {
    state = organizationDecider.evolve(state, event as unknown as OrganizationEvent);
  }
  return state;
}

/** A random organization's history, through the real command path. */
async function randomHistory(steps: Parameters<typeof runStep>[2][]): Promise<RecordedEvent[]> {
  const store = new SqliteEventStore(':memory:');
  try {
    const executor = new CommandExecutor(store, 0);
    const world = newWorld();
    await createOrganization(executor, world);
    for (const s of steps) await runStep(executor, world, s);
    return await history(store);
  } finally {
    await store.close();
  }
}

/**
 * ADR 19: a snapshot stands for its fold. Decoding what was encoded at any cut of a random
 * history gives the fold itself, and folding the rest of the history on top of the decoded
 * state gives what folding it all from the first event gives — so a decoded state shares no
 * object that evolve updates in place with anything it should not.
 */
describe('snapshot codec', () => {
  it('decode(encode(fold)) is the fold, at any cut, and folds on like it', async () => {
    await fc.assert(
      fc.asyncProperty(
        sequence({ minLength: 0, maxLength: 60 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        async (steps, where) => {
          const events = await randomHistory(steps);
          const cut = Math.floor(where * events.length);
          const head = fold(organizationDecider.initialState(), events.slice(0, cut));

          const decoded = decodeSnapshotValue<OrganizationState>(encodeSnapshotValue(head));
          expect(decoded).toEqual(head);

          const all = fold(organizationDecider.initialState(), events);
          expect(fold(decoded, events.slice(cut))).toEqual(all);
        },
      ),
      { numRuns: 60 },
    );
  });

  it("R33 the history's snapshot (state and provenance) folds on like the fold from the first event", async () => {
    await fc.assert(
      fc.asyncProperty(
        sequence({ minLength: 0, maxLength: 60 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        async (steps, where) => {
          const events = await randomHistory(steps);
          const organizationId = events[0].metadata.organizationId;
          const cut = Math.max(1, Math.floor(where * events.length));
          const before = new AccessGraphs();
          for (const event of events.slice(0, cut)) before.apply(event);
          const folded = before.get(organizationId)!;
          const bytes = encodeOrganizationHistorySnapshot({
            state: folded.state,
            provenance: folded.provenance,
            lastTime: events[cut - 1].recordedAt,
          });
          const decoded = decodeOrganizationHistorySnapshot(bytes);
          expect(decoded.lastTime).toBe(events[cut - 1].recordedAt);
          expect([...decoded.provenance.entries()]).toEqual([...folded.provenance.entries()]);

          // Decoded again: its provenance is loaded only when first asked, after the rest is
          // folded on top of it, and must come out the same.
          const restored = new AccessGraphs();
          const lazily = decodeOrganizationHistorySnapshot(bytes);
          restored.restore(organizationId, {
            ...lazily,
            position: events[cut - 1].position,
            revision: events[cut - 1].revision,
            time: events[cut - 1].recordedAt,
            reachedTime: Math.max(...events.slice(0, cut).map((e) => Date.parse(e.recordedAt))),
          });
          for (const event of events.slice(cut)) restored.apply(event);
          const whole = new AccessGraphs();
          for (const event of events) whole.apply(event);
          expect(restored.get(organizationId)!.state).toEqual(whole.get(organizationId)!.state);
          expect([...restored.get(organizationId)!.provenance.entries()]).toEqual([
            ...whole.get(organizationId)!.provenance.entries(),
          ]);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('round-trips Maps, Sets, nesting, undefined fields, and a __proto__ key as plain data', () => {
    const value = {
      m: new Map<string, unknown>([
        ['a', new Set(['x', 'y'])],
        ['b', { $map: 'a key like a tag', optional: undefined }],
      ]),
      list: [new Map([[1, 2]]), null, 'z'],
      ['__proto__']: { polluted: true },
    };
    const decoded = decodeSnapshotValue<typeof value>(encodeSnapshotValue(value));
    expect(decoded).toEqual(value);
    // A plain object (V8 builds it in Node's own realm, not the test's), the key its own.
    expect(Object.getPrototypeOf(Object.getPrototypeOf(decoded))).toBeNull();
    expect(Object.hasOwn(decoded, '__proto__')).toBe(true);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    const compressed = encodeSnapshotValue(value, { compress: true });
    expect(decodeSnapshotValue(compressed)).toEqual(value);
  });

  it('refuses what it cannot give back (class instances, bigints)', () => {
    expect(() => encodeSnapshotValue({ when: new Date() })).toThrow(TypeError);
    expect(() => encodeSnapshotValue({ n: 1n })).toThrow(TypeError);
    // The structured clone would turn it into a plain object, losing its methods: refused.
    expect(() => encodeSnapshotValue({ provenance: new Provenance() })).toThrow(/Provenance/);
  });
});
