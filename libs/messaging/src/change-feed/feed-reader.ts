import {
  DomainError,
  findMemberForUser,
  organizationDecider,
  organizationStream,
  type Actor,
  type OrganizationEvent,
  type OrganizationState,
} from '#libs/domain';
import type { RecordedEvent } from '#libs/event-store';

/**
 * The organization state a feed reader is checked against, kept current as the feed's own
 * events arrive: a member removed or deactivated while connected stops receiving at once.
 */
export class OrganizationView {
  private state: OrganizationState = organizationDecider.initialState();

  fold(event: RecordedEvent): void {
    this.state = organizationDecider.evolve(this.state, {
      type: event.type,
      data: event.data,
    } as OrganizationEvent);
  }

  /**
   * Tenant isolation (S1, ADR 6): support and auditors read any organization; a member reads
   * only their own, and only while active. Anyone else is told it does not exist, except a
   * token refused by S5 (another identity with a member's e-mail), which is told why (401).
   */
  refusal(actor: Actor): DomainError | undefined {
    if (!this.state.exists) return organizationNotFound();
    if (actor.type === 'support' || actor.type === 'auditor') return undefined;
    if (actor.type !== 'user') return organizationNotFound();
    try {
      // S5: the same judgement as commands and reads, by the identity bound at first sign-in.
      const member = findMemberForUser(this.state, actor);
      return member?.status === 'active' ? undefined : organizationNotFound();
    } catch (error) {
      if (error instanceof DomainError) return error;
      throw error;
    }
  }

  mayRead(actor: Actor): boolean {
    return this.refusal(actor) === undefined;
  }
}

export const organizationNotFound = (): DomainError =>
  new DomainError('not_found', 'ORGANIZATION_NOT_FOUND', 'No such organization.');

export { organizationStream };
