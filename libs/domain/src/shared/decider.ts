/**
 * A decider in the style of Emmett: pure functions, no I/O, no clock, no randomness.
 * Time, ids and the actor come in on the command.
 *
 * `evolve` may update the given state in place and return it: the command side owns its
 * state objects and folds thousands of events per load, so copying on every event would cost
 * more than it protects. `decide` never changes the state it is given.
 */
export interface Decider<Command, Event, State> {
  decide(command: Command, state: State): Event[];
  evolve(state: State, event: Event): State;
  initialState(): State;
}

/** A domain event as the deciders see it: its type and its payload. */
export interface DomainEvent<Type extends string = string, Data = Record<string, unknown>> {
  type: Type;
  data: Data;
  /**
   * For cascades (R11, R19): the index, in the same decision, of the event that caused this
   * one. The command side stores that event's id as this one's causation id (R32).
   */
  causedBy?: number;
}
