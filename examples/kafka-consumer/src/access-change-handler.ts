import { Injectable, Logger } from '@nestjs/common';
import type { CloudEvent } from '#libs/messaging';

/**
 * Your side effects go here. This one logs what a downstream team typically reacts to:
 * invitations (send the e-mail, R9), revocations and removals (drop caches, end sessions).
 */
@Injectable()
export class AccessChangeHandler {
  private readonly logger = new Logger('AccessChanges');
  /** What the handler did, for the example's test. */
  readonly handled: CloudEvent[] = [];

  async handle(event: CloudEvent): Promise<void> {
    this.handled.push(event);
    switch (event.type) {
      case 'MemberInvited':
        this.logger.log(`Invite ${String(event.data.email)} to ${event.organizationid}`);
        break;
      case 'ApiKeyRevoked':
      case 'MemberRemoved':
      case 'MemberDeactivated':
        this.logger.log(`${event.type}: drop cached access for ${event.subject}`);
        break;
      default:
        // Unknown or uninteresting types are ignored: new event types appear over time.
        break;
    }
  }
}
