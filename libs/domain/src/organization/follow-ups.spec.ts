import { organizationDecider, organizationStream } from './organization.decider.js';
import { followUpsOf } from './organization.follow-ups.js';
import { workspaceDecider } from '../workspace/workspace.decider.js';
import {
  admin,
  command,
  memberInvited,
  NOW,
  organizationCreated,
  stateOf,
  support,
} from '../testing/organization.fixtures.js';
import type { WorkspaceEvent } from '../workspace/workspace.events.js';

const metadata = { actor: admin, now: NOW };
const followUpMetadata = { actor: { type: 'system', id: 'follow-up' }, now: NOW };

describe('follow-ups', () => {
  it('names the organization stream organization-<id>', () => {
    expect(organizationStream('acme')).toBe('organization-acme');
  });

  it('R1 OrganizationCreated creates the Default workspace with the first member as admin', () => {
    const created = organizationCreated();
    expect(followUpsOf(created, stateOf([created]), { actor: support, now: NOW })).toEqual([
      {
        type: 'CreateWorkspace',
        data: {
          workspaceId: 'ws-acme',
          organizationId: 'acme',
          name: 'Default',
          principals: [{ principal: { type: 'user', id: 'u-admin' }, role: 'admin' }],
        },
        metadata: followUpMetadata,
      },
    ]);
  });

  it('R9 MemberInvited adds the invitee to the Default workspace as user', () => {
    const invited = memberInvited('u2', 'two@acme.test');
    const state = stateOf([organizationCreated(), invited]);
    expect(followUpsOf(invited, state, metadata)).toEqual([
      {
        type: 'AddWorkspacePrincipal',
        data: {
          workspaceId: 'ws-acme',
          principal: { type: 'user', id: 'u2' },
          role: 'user',
        },
        metadata: followUpMetadata,
      },
    ]);
  });

  it('other events cause no follow-up', () => {
    const state = stateOf([organizationCreated()]);
    expect(followUpsOf({ type: 'RoleDeleted', data: { roleId: 'r' } }, state, metadata)).toEqual(
      [],
    );
  });

  it('R1 R9 from support creating an organization to an invitee in its Default workspace, end to end', () => {
    let organization = organizationDecider.initialState();
    let workspace = workspaceDecider.initialState();
    const workspaceEvents: WorkspaceEvent[] = [];
    const run = (cmd: Parameters<typeof organizationDecider.decide>[0]) => {
      for (const event of organizationDecider.decide(cmd, organization)) {
        organization = organizationDecider.evolve(organization, event);
        for (const followUp of followUpsOf(event, organization, cmd.metadata)) {
          for (const wsEvent of workspaceDecider.decide(followUp, workspace)) {
            workspace = workspaceDecider.evolve(workspace, wsEvent);
            workspaceEvents.push(wsEvent);
          }
        }
      }
    };
    run(
      command(
        'CreateOrganization',
        {
          organizationId: 'acme',
          name: 'Acme',
          catalog: ['checks.read'],
          firstUser: { userId: 'u-admin', email: 'admin@acme.test' },
          defaultWorkspaceId: 'ws-acme',
        },
        support,
      ),
    );
    run(command('InviteMember', { userId: 'u2', email: 'two@acme.test' }));
    expect(workspace.name).toBe('Default');
    expect([...workspace.principals.values()]).toEqual([
      { principal: { type: 'user', id: 'u-admin' }, role: 'admin' },
      { principal: { type: 'user', id: 'u2' }, role: 'user' },
    ]);
    expect(workspaceEvents.map((e) => e.type)).toEqual([
      'WorkspaceCreated',
      'WorkspacePrincipalAdded',
      'WorkspacePrincipalAdded',
    ]);
  });
});
