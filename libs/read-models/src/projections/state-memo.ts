import type { OrganizationState } from '#libs/domain';

/**
 * A derived index the organization state lacks (e.g. a workspace's distinct users), kept per
 * state object and advanced one event at a time, so that a typical event costs O(its slice)
 * instead of a scan of the organization (docs/benchmarks.md#targets: rebuilds at 100,000 events/s).
 *
 * Projections stay functions of (event, state): the memo is only trusted when it saw the
 * previous event of the same state object (`revision - 1`, the stream being one per
 * organization). Anything else — a first call, a skipped or repeated event, a state loaded
 * another way — rebuilds it from the state at hand, which gives the same answer, only slower.
 */
export class StateMemo<T> {
  private readonly entries = new WeakMap<OrganizationState, { revision: number; value: T }>();

  constructor(private readonly build: (state: OrganizationState) => T) {}

  /**
   * The value for `after`, the state once the event at `revision` is folded in: `update`
   * brings the previous value up to date when it is trustworthy, else it is rebuilt from
   * `after` (and `update` is not called).
   */
  advance(after: OrganizationState, revision: number, update?: (value: T) => void): T {
    const entry = this.entries.get(after);
    // Already advanced past this event: two readers of one fold (the projector's projection
    // and the check index) both ask for it.
    if (entry !== undefined && entry.revision === revision) return entry.value;
    if (entry !== undefined && entry.revision === revision - 1) {
      update?.(entry.value);
      entry.revision = revision;
      return entry.value;
    }
    const value = this.build(after);
    this.entries.set(after, { revision, value });
    return value;
  }

  /**
   * The value for `state` as of the event at `revision`, if the memo holds exactly that (e.g.
   * in a projection's `scope`, the state before the event at `revision + 1`); else undefined,
   * and the caller computes what it needs from the state. Neither builds nor advances.
   */
  peek(state: OrganizationState, revision: number): T | undefined {
    const entry = this.entries.get(state);
    return entry !== undefined && entry.revision === revision ? entry.value : undefined;
  }
}
