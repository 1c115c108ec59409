import type { DomainEvent } from '#libs/domain';
import type { AggregateType } from '../../apps/command-service/src/infrastructure/aggregate-store.js';

/** A command of the echo aggregate: the events to append, as they are. */
export type Emit = { events: DomainEvent[] };

/** A decider that emits exactly the events it is told to: the executor is what is tested. */
export const echo: AggregateType<Emit, DomainEvent, null> = {
  decider: {
    decide: (command) => command.events,
    evolve: (state) => state,
    initialState: () => null,
  },
  streamOf: (id) => `echo-${id}`,
};

/** Who and what the echoed commands are traced to. */
export const trace = {
  organizationId: 'org-1',
  actor: { type: 'user' as const, id: 'idp|a' },
  correlationId: 'request-1',
  causationId: 'request-1',
};
