import {
  apiKeyHoldsAdminNamespace,
  DomainError,
  findMemberByEmail,
  memberHoldsAdminNamespace,
  organizationDecider,
  organizationStream,
  type Actor,
  type OrganizationEvent,
  type OrganizationState,
} from '#libs/domain';
import type { RecordedEvent } from '#libs/event-store';

/**
 * What an actor may do with an organization's feed: read it, be refused it (403: of the
 * organization, but not one of its readers, R40), or be told it does not exist (404, S1).
 */
export type FeedAccess = 'read' | 'forbidden' | 'not_found';

/**
 * The organization state a feed reader is checked against, kept current as the feed's own
 * events arrive: a reader removed, deactivated, demoted or whose key is revoked while
 * connected stops receiving at once.
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
   * R40: the feed carries every event of the organization — API keys' permission snapshots,
   * workspaces a member cannot see — so it is served to support, auditors, and members and
   * keys holding the whole admin namespace (org admins and their keys). Other members and
   * keys of the organization are refused; anyone else is told it does not exist (S1, ADR 6).
   * `now` judges key expiry.
   */
  access(actor: Actor, now: string): FeedAccess {
    if (!this.state.exists) return 'not_found';
    switch (actor.type) {
      case 'support':
      case 'auditor':
        return 'read';
      case 'user': {
        const member = findMemberByEmail(this.state, actor.email);
        if (member?.status !== 'active') return 'not_found';
        return memberHoldsAdminNamespace(this.state, member.userId) ? 'read' : 'forbidden';
      }
      case 'api_key':
        if (actor.organizationId !== this.state.organizationId) return 'not_found';
        if (!this.state.apiKeys.has(actor.keyId)) return 'not_found';
        return apiKeyHoldsAdminNamespace(this.state, actor.keyId, now) ? 'read' : 'forbidden';
      default:
        return 'not_found';
    }
  }
}

export const organizationNotFound = (): DomainError =>
  new DomainError('not_found', 'ORGANIZATION_NOT_FOUND', 'No such organization.');

export const changeFeedForbidden = (): DomainError =>
  new DomainError(
    'forbidden',
    'CHANGE_FEED_FORBIDDEN',
    "An organization's change feed is served to support, auditors, org admins and API keys " +
      'holding every admin-namespace permission of its catalog: ask an org admin, or use the ' +
      'reads your permissions allow.',
  );

export { organizationStream };
