import {
  DomainError,
  findMemberByEmail,
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
   * only their own, and only while active. Anyone else is told it does not exist.
   */
  mayRead(actor: Actor): boolean {
    if (!this.state.exists) return false;
    if (actor.type === 'support' || actor.type === 'auditor') return true;
    if (actor.type !== 'user') return false;
    return findMemberByEmail(this.state, actor.email)?.status === 'active';
  }
}

export const organizationNotFound = (): DomainError =>
  new DomainError('not_found', 'ORGANIZATION_NOT_FOUND', 'No such organization.');

export { organizationStream };
