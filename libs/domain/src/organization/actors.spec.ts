import { organizationDecider } from './organization.decider.js';
import { DeciderSpecification } from '../testing/decider-specification.js';
import {
  activeMember,
  admin,
  apiKey,
  apiKeyIssued,
  auditor,
  command,
  fullAccessSnapshot,
  memberInvited,
  organizationCreated,
  support,
  system,
  user,
} from '../testing/organization.fixtures.js';

import type { Actor } from '../shared/actor.js';
import { as, MEMBERS, world, WS } from '../testing/access-graph.fixtures.js';

const given = DeciderSpecification.for(organizationDecider);
const acme = organizationCreated();
const globex = organizationCreated(undefined, 'globex', {
  userId: 'g-admin',
  email: 'admin@globex.test',
});
const inviteAs = (actor: Parameters<typeof command>[2]) =>
  command('InviteMember', { userId: 'u9', email: 'nine@acme.test' }, actor);

describe('actors', () => {
  it('S1 a member of another organization is told the organization does not exist', () => {
    given([acme])
      .when(inviteAs(user('admin@globex.test')))
      .thenThrows('ORGANIZATION_NOT_FOUND', (e) => {
        expect(e.kind).toBe('not_found');
        expect(e.message).not.toContain('acme');
      });
  });

  it('S1 an API key of another organization is told the organization does not exist', () => {
    // Same key id in both organizations: the key's organization decides, not its id.
    given([acme, apiKeyIssued('k1', fullAccessSnapshot())])
      .when(inviteAs(apiKey('k1', 'globex')))
      .thenThrows('ORGANIZATION_NOT_FOUND');
    given([globex, apiKeyIssued('k1', fullAccessSnapshot())])
      .when(inviteAs(apiKey('k1', 'acme')))
      .thenThrows('ORGANIZATION_NOT_FOUND');
  });

  it('S1 a missing organization and a foreign one answer alike', () => {
    given([]).when(inviteAs(admin)).thenThrows('ORGANIZATION_NOT_FOUND');
    given([])
      .when(inviteAs(apiKey('k1')))
      .thenThrows('ORGANIZATION_NOT_FOUND');
    given([acme])
      .when(inviteAs(apiKey('k-unknown')))
      .thenThrows('ORGANIZATION_NOT_FOUND');
  });

  it('S1 the actor is checked before the command: a foreign actor learns nothing of members or roles', () => {
    given([acme])
      .when(
        command('ChangeMemberRole', { userId: 'u-none', roleId: 'r-none' }, user('x@globex.test')),
      )
      .thenThrows('ORGANIZATION_NOT_FOUND');
  });

  it('a user is resolved to a member by e-mail, case-insensitively', () => {
    given([acme])
      .when(inviteAs(user('ADMIN@Acme.Test')))
      .then([
        {
          type: 'MemberInvited',
          data: {
            userId: 'u9',
            email: 'nine@acme.test',
            roleId: 'default_access',
            invitedBy: 'u-admin',
          },
        },
      ]);
  });

  it('auditors are read-only: every command is refused', () => {
    given([acme])
      .when(inviteAs(auditor))
      .thenThrows('READ_ONLY_ACTOR', (e) => expect(e.kind).toBe('forbidden'));
    given([acme])
      .when(command('AddCatalogPermissions', { permissions: ['x.y'] }, auditor))
      .thenThrows('READ_ONLY_ACTOR');
  });

  it('support may edit the catalog but not act as a member', () => {
    given([acme])
      .when(inviteAs(support))
      .thenThrows('FORBIDDEN_FOR_SUPPORT', (e) => {
        expect(e.kind).toBe('forbidden');
        expect(e.message).toMatch(/Support/);
      });
    given([acme, apiKeyIssued('k1', fullAccessSnapshot())])
      .when(command('RevokeApiKey', { keyId: 'k1' }, support))
      .thenThrows('FORBIDDEN_FOR_SUPPORT');
  });

  it('system actors issue no organization command, access-graph ones included', () => {
    given([acme]).when(inviteAs(system)).thenThrows('FORBIDDEN_FOR_SYSTEM');
    given(world())
      .when(command('CreateGroup', { groupId: 'g-x', name: 'X' }, system))
      .thenThrows('FORBIDDEN_FOR_SYSTEM');
  });

  describe('access-graph commands (groups, workspaces, projects, dashboards)', () => {
    const createProject = (actor: Actor) =>
      command('CreateProject', { projectId: 'p-x', workspaceId: WS, name: 'X' }, actor);

    it('support is refused FORBIDDEN_FOR_SUPPORT', () => {
      given(world())
        .when(createProject(support))
        .thenThrows('FORBIDDEN_FOR_SUPPORT', (e) => expect(e.kind).toBe('forbidden'));
    });

    it('auditors are refused READ_ONLY_ACTOR', () => {
      given(world()).when(createProject(auditor)).thenThrows('READ_ONLY_ACTOR');
    });

    it('API keys are refused API_KEY_NOT_ALLOWED, whatever their permissions', () => {
      given([...world(), apiKeyIssued('k1', fullAccessSnapshot())])
        .when(createProject(apiKey('k1')))
        .thenThrows('API_KEY_NOT_ALLOWED', (e) => {
          expect(e.kind).toBe('forbidden');
          expect(e.message).toContain('permissions, not workspace or project roles');
        });
    });

    it('S1 an API key of another organization is told the organization does not exist first', () => {
      given([...world(), apiKeyIssued('k1', fullAccessSnapshot())])
        .when(createProject(apiKey('k1', 'globex')))
        .thenThrows('ORGANIZATION_NOT_FOUND');
    });

    it('S1 users of another organization are told the organization does not exist', () => {
      given(world())
        .when(createProject(user('admin@globex.test')))
        .thenThrows('ORGANIZATION_NOT_FOUND');
    });

    it('invited and deactivated members are refused MEMBER_NOT_ACTIVE, whatever their workspace role', () => {
      given([...world(), { type: 'MemberDeactivated', data: { userId: MEMBERS.alice } }])
        .when(createProject(as('alice')))
        .thenThrows('MEMBER_NOT_ACTIVE');
      given([...world(), memberInvited('u-inv', 'inv@acme.test')])
        .when(createProject(user('inv@acme.test')))
        .thenThrows('MEMBER_NOT_ACTIVE');
    });

    it('need no permission: a workspace user without truora.* permissions acts by role', () => {
      given(world())
        .when(createProject(as('alice')))
        .then([
          {
            type: 'ProjectCreated',
            data: {
              projectId: 'p-x',
              workspaceId: WS,
              name: 'X',
              owner: { type: 'user', id: MEMBERS.alice },
            },
          },
        ]);
    });
  });

  it('an invited member may only sign in', () => {
    given([acme, memberInvited('u2', 'two@acme.test', 'full_access')])
      .when(inviteAs(user('two@acme.test')))
      .thenThrows('MEMBER_NOT_ACTIVE', (e) => expect(e.kind).toBe('forbidden'));
  });

  it('permissions are checked before the command data: a member without truora.users learns nothing of other members', () => {
    given([acme, ...activeMember('u2', 'two@acme.test')])
      .when(command('RemoveMember', { userId: 'u-none' }, user('two@acme.test')))
      .thenThrows('MISSING_PERMISSION');
  });
});
