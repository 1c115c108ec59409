import { Provenance } from '#libs/access';
import { organizationDecider, type OrganizationEvent, type OrganizationState } from '#libs/domain';
import { START, type Position, type RecordedEvent } from '#libs/event-store';

/** One organization's access graph: its state, each edge's provenance, and how far it reaches. */
export interface FoldedOrganization {
  readonly state: OrganizationState;
  readonly provenance: Provenance;
  /** Global position of the organization's last event folded. */
  readonly position: Position;
}

interface Entry {
  state: OrganizationState;
  provenance: Provenance;
  position: Position;
}

/**
 * Every organization's state folded with the domain's own evolve, and beside it the provenance
 * of each edge (libs/access): what the access engine answers checks and explanations over
 * (R31). The projector folds the history once, through this, for the read models and the
 * checks alike (one fold, one memory cost).
 */
export class AccessGraphs {
  private readonly organizations = new Map<string, Entry>();
  private folded: Position = START;

  /** The organization's state before `event` (initial for a new one), to scope projections. */
  stateBefore(event: RecordedEvent): OrganizationState {
    return (
      this.organizations.get(event.metadata.organizationId)?.state ??
      organizationDecider.initialState()
    );
  }

  /** Folds one event (in global order, each once) and answers the state after it. */
  apply(event: RecordedEvent): OrganizationState {
    const organizationId = event.metadata.organizationId;
    let entry = this.organizations.get(organizationId);
    if (!entry) {
      entry = {
        state: organizationDecider.initialState(),
        provenance: new Provenance(),
        position: START,
      };
      this.organizations.set(organizationId, entry);
    }
    // evolve updates in place and returns the state (decider.ts); kept for clarity.
    entry.state = organizationDecider.evolve(entry.state, event as unknown as OrganizationEvent);
    entry.provenance.record(event);
    entry.position = event.position;
    this.folded = event.position;
    return entry.state;
  }

  /** The organization as folded so far; undefined before its first event. */
  get(organizationId: string): FoldedOrganization | undefined {
    const entry = this.organizations.get(organizationId);
    return entry?.state.exists ? entry : undefined;
  }

  /** Global position of the last event folded, of any organization. */
  get position(): Position {
    return this.folded;
  }
}
