import type { Decider } from '../shared/decider.js';
import { DomainError } from '../shared/domain-error.js';
import { DeciderSpecification } from './decider-specification.js';

/** The helper must be able to fail, or the specs written with it prove nothing. */
type Counter = { count: number; seen: Set<number> };
const counter = (mutate: boolean): Decider<number, number, Counter> => ({
  initialState: () => ({ count: 0, seen: new Set() }),
  evolve: (state, event) => ({ count: state.count + event, seen: new Set([...state.seen, event]) }),
  decide: (command, state) => {
    if (mutate) state.seen.add(command);
    if (command < 0) throw new DomainError('invalid', 'NEGATIVE', 'no');
    return command === 0 ? [] : [command];
  },
});

describe('DeciderSpecification', () => {
  const given = DeciderSpecification.for(counter(false));

  it('passes on the expected events, nothing, or error code', () => {
    given([1]).when(2).then([2]);
    given([1]).when(0).thenNothing();
    given([1]).when(-1).thenThrows('NEGATIVE');
  });

  it('fails on other events, another code, or an unexpected acceptance', () => {
    expect(() => given([]).when(2).then([3])).toThrow();
    expect(() => given([]).when(2).thenNothing()).toThrow();
    expect(() => given([]).when(-1).thenThrows('OTHER')).toThrow(/expected OTHER/);
    expect(() => given([]).when(2).thenThrows('NEGATIVE')).toThrow(/accepted/);
  });

  it('fails when decide changes the state it is given', () => {
    expect(() => DeciderSpecification.for(counter(true))([1]).when(2).then([2])).toThrow(
      /must not change/,
    );
  });
});
