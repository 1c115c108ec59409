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

  it('system actors only run workspace follow-ups', () => {
    given([acme]).when(inviteAs(system)).thenThrows('FORBIDDEN_FOR_SYSTEM');
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
