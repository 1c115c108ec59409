import type { CommandMetadata } from '../shared/actor.js';
import type { WorkspaceCommand } from '../workspace/workspace.commands.js';
import type { OrganizationEvent } from './organization.events.js';
import type { OrganizationState } from './organization.state.js';

export const DEFAULT_WORKSPACE_NAME = 'Default';
/** The actor of every follow-up command; the app sets causation id = the causing event's id. */
export const FOLLOW_UP_ACTOR = { type: 'system', id: 'follow-up' } as const;

/**
 * The commands an organization event causes on other aggregates (ARCHITECTURE: cascades are
 * follow-up commands). Pure: `state` is the organization after evolving `event`, and the
 * follow-ups take the time of the command that caused them.
 */
export function followUpsOf(
  event: OrganizationEvent,
  state: OrganizationState,
  metadata: CommandMetadata,
): WorkspaceCommand[] {
  const followUpMetadata: CommandMetadata = { actor: { ...FOLLOW_UP_ACTOR }, now: metadata.now };
  switch (event.type) {
    case 'OrganizationCreated':
      // R1: a Default workspace with the first user as its admin.
      return [
        {
          type: 'CreateWorkspace',
          data: {
            workspaceId: event.data.defaultWorkspaceId,
            organizationId: event.data.organizationId,
            name: DEFAULT_WORKSPACE_NAME,
            principals: [
              { principal: { type: 'user', id: event.data.firstMember.userId }, role: 'admin' },
            ],
          },
          metadata: followUpMetadata,
        },
      ];
    case 'MemberInvited':
      // R9: every invitee is a `user` of the Default workspace.
      return [
        {
          type: 'AddWorkspacePrincipal',
          data: {
            workspaceId: state.defaultWorkspaceId,
            principal: { type: 'user', id: event.data.userId },
            role: 'user',
          },
          metadata: followUpMetadata,
        },
      ];
    default:
      // R11's cascade (MemberRemoved) arrives with the groups/workspaces/projects issue.
      return [];
  }
}
