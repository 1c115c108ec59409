import {
  apiKeyHoldsAdminNamespace,
  DomainError,
  findMemberForUser,
  memberHoldsAdminNamespace,
  organizationDecider,
  organizationStream,
  type Actor,
  type MemberState,
  type OrganizationEvent,
  type OrganizationState,
} from '#libs/domain';
import type { RecordedEvent } from '#libs/event-store';

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
   * keys of the organization are refused (403); anyone else is told it does not exist (S1,
   * ADR 6), except a token refused by S5 (another identity with a member's e-mail), which is
   * told why (401). `now` judges key expiry.
   */
  refusal(actor: Actor, now: string): DomainError | undefined {
    if (!this.state.exists) return organizationNotFound();
    switch (actor.type) {
      case 'support':
      case 'auditor':
        return undefined;
      case 'user': {
        let member: MemberState | undefined;
        try {
          // S5: the same judgement as commands and reads, by the identity bound at first sign-in.
          member = findMemberForUser(this.state, actor);
        } catch (error) {
          if (error instanceof DomainError) return error;
          throw error;
        }
        if (member?.status !== 'active') return organizationNotFound();
        return memberHoldsAdminNamespace(this.state, member.userId)
          ? undefined
          : changeFeedForbidden();
      }
      case 'api_key':
        if (actor.organizationId !== this.state.organizationId) return organizationNotFound();
        if (!this.state.apiKeys.has(actor.keyId)) return organizationNotFound();
        return apiKeyHoldsAdminNamespace(this.state, actor.keyId, now)
          ? undefined
          : changeFeedForbidden();
      default:
        return organizationNotFound();
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
