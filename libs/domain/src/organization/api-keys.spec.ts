import { organizationDecider } from './organization.decider.js';
import { DeciderSpecification } from '../testing/decider-specification.js';
import {
  activeMember,
  admin,
  apiKey,
  apiKeyIssued,
  CATALOG,
  command,
  fullAccessSnapshot,
  LATER,
  NOW,
  organizationCreated,
  roleCreated,
  stateOf,
  user,
} from '../testing/organization.fixtures.js';
import type { OrganizationEvent } from './organization.events.js';
import { apiKeyEffectivePermissions } from './organization.permissions.js';

const given = DeciderSpecification.for(organizationDecider);
const created = organizationCreated();
const issue = (keyId: string, actor = admin, expiresAt?: string | null, now = NOW) =>
  command(
    'IssueApiKey',
    {
      keyId,
      name: ` key ${keyId} `,
      secretHash: `hash-of-${keyId}`,
      secretPrefix: `al_${keyId.slice(0, 4)}`,
      ...(expiresAt === undefined ? {} : { expiresAt }),
    },
    actor,
    now,
  );
const revoked = (keyId: string): OrganizationEvent => ({ type: 'ApiKeyRevoked', data: { keyId } });

describe('API keys', () => {
  it("R13 a member holding truora.keys issues a key whose snapshot is the issuer's role, sorted", () => {
    given([created])
      .when(issue('k1', admin, LATER))
      .then([apiKeyIssued('k1', fullAccessSnapshot(), { expiresAt: LATER })]);
  });

  it("R13 a custom role's snapshot records its id and name", () => {
    given([
      created,
      roleCreated('r-keys', 'Key makers', ['truora.keys', 'checks.read']),
      ...activeMember('u2', 'two@acme.test', 'r-keys'),
    ])
      .when(issue('k2', user('two@acme.test')))
      .then([
        apiKeyIssued(
          'k2',
          { roleId: 'r-keys', roleName: 'Key makers', permissions: ['checks.read', 'truora.keys'] },
          { issuedBy: 'u2' },
        ),
      ]);
  });

  it('R13 later role and catalog changes never alter a snapshot', () => {
    const state = stateOf([
      created,
      roleCreated('r-keys', 'Key makers', ['truora.keys', 'checks.read']),
      ...activeMember('u2', 'two@acme.test', 'r-keys'),
      apiKeyIssued(
        'k2',
        { roleId: 'r-keys', roleName: 'Key makers', permissions: ['checks.read', 'truora.keys'] },
        { issuedBy: 'u2' },
      ),
      {
        type: 'RoleUpdated',
        data: { roleId: 'r-keys', name: 'Renamed', permissions: ['checks.write'] },
      },
      { type: 'CatalogPermissionsRemoved', data: { permissions: ['checks.read'] } },
      {
        type: 'MemberRoleChanged',
        data: { userId: 'u2', roleId: 'full_access', previousRoleId: 'r-keys' },
      },
    ]);
    expect(state.apiKeys.get('k2')?.snapshot).toEqual({
      roleId: 'r-keys',
      roleName: 'Key makers',
      permissions: ['checks.read', 'truora.keys'],
    });
  });

  it('R13 a member without truora.keys cannot issue or revoke keys', () => {
    given([created, ...activeMember('u2', 'two@acme.test')])
      .when(issue('k2', user('two@acme.test')))
      .thenThrows('MISSING_PERMISSION', (e) =>
        expect(e.details).toEqual({ missing: ['truora.keys'] }),
      );
    given([
      created,
      apiKeyIssued('k1', fullAccessSnapshot()),
      ...activeMember('u2', 'two@acme.test'),
    ])
      .when(command('RevokeApiKey', { keyId: 'k1' }, user('two@acme.test')))
      .thenThrows('MISSING_PERMISSION');
  });

  it('R13 an API key cannot issue keys, even one holding truora.keys', () => {
    given([created, apiKeyIssued('k1', fullAccessSnapshot())])
      .when(issue('k2', apiKey('k1')))
      .thenThrows('API_KEY_CANNOT_ISSUE_KEYS', (e) => expect(e.kind).toBe('forbidden'));
  });

  it('refuses a key id that already exists', () => {
    given([created, apiKeyIssued('k1', fullAccessSnapshot())])
      .when(issue('k1'))
      .thenThrows('API_KEY_ALREADY_EXISTS', (e) => expect(e.kind).toBe('conflict'));
  });

  it('refuses an expiry that is not after now, and one that is not a date', () => {
    given([created])
      .when(issue('k1', admin, NOW))
      .thenThrows('EXPIRY_NOT_IN_FUTURE', (e) => expect(e.kind).toBe('rule'));
    given([created])
      .when(issue('k1', admin, '2020-01-01T00:00:00Z'))
      .thenThrows('EXPIRY_NOT_IN_FUTURE');
    given([created])
      .when(issue('k1', admin, 'next tuesday'))
      .thenThrows('INVALID_EXPIRY');
  });

  it('R14 records only the hash and prefix of the secret', () => {
    const [event] = organizationDecider.decide(issue('k1'), stateOf([created]));
    expect(Object.keys(event.data).sort()).toEqual(
      [
        'expiresAt',
        'issuedAt',
        'issuedBy',
        'keyId',
        'name',
        'secretHash',
        'secretPrefix',
        'snapshot',
      ].sort(),
    );
    expect(stateOf([created, event]).apiKeys.get('k1')?.secretHash).toBe('hash-of-k1');
  });

  it('revokes a key; a second revocation is refused; an unknown key is not found', () => {
    const history = [created, apiKeyIssued('k1', fullAccessSnapshot())];
    given(history)
      .when(command('RevokeApiKey', { keyId: 'k1' }))
      .then([{ type: 'ApiKeyRevoked', data: { keyId: 'k1' } }]);
    given([...history, revoked('k1')])
      .when(command('RevokeApiKey', { keyId: 'k1' }))
      .thenThrows('API_KEY_ALREADY_REVOKED', (e) => expect(e.kind).toBe('conflict'));
    given(history)
      .when(command('RevokeApiKey', { keyId: 'k9' }))
      .thenThrows('API_KEY_NOT_FOUND', (e) => expect(e.kind).toBe('not_found'));
  });

  it("R13 any member holding truora.keys revokes any of the organization's keys", () => {
    given([
      created,
      apiKeyIssued('k1', fullAccessSnapshot()),
      ...activeMember('u2', 'two@acme.test', 'full_access'),
    ])
      .when(command('RevokeApiKey', { keyId: 'k1' }, user('two@acme.test')))
      .then([{ type: 'ApiKeyRevoked', data: { keyId: 'k1' } }]);
  });

  it('R15 a key authenticates as its snapshot intersected with the current catalog', () => {
    const state = stateOf([
      created,
      apiKeyIssued('k1', fullAccessSnapshot()),
      { type: 'CatalogPermissionsRemoved', data: { permissions: ['checks.write'] } },
      { type: 'CatalogPermissionsAdded', data: { permissions: ['reports.read'] } },
    ]);
    expect(apiKeyEffectivePermissions(state, 'k1', NOW)).toEqual([
      'checks.read',
      'truora.keys',
      'truora.users',
    ]);
  });

  it('R15 a revoked or expired key authenticates nothing', () => {
    const state = stateOf([
      created,
      apiKeyIssued('k1', fullAccessSnapshot()),
      revoked('k1'),
      apiKeyIssued('k2', fullAccessSnapshot(), { expiresAt: LATER }),
    ]);
    expect(apiKeyEffectivePermissions(state, 'k1', NOW)).toEqual([]);
    expect(apiKeyEffectivePermissions(state, 'k2', NOW)).toEqual(CATALOG);
    expect(apiKeyEffectivePermissions(state, 'k2', LATER)).toEqual([]);
    expect(apiKeyEffectivePermissions(state, 'k9', NOW)).toEqual([]);
  });

  it('R15 a key acts with its effective permissions, and a revoked or expired key cannot act', () => {
    const history = [
      created,
      apiKeyIssued('k-users', { roleId: 'r', roleName: 'R', permissions: ['truora.users'] }),
      apiKeyIssued('k-read', { roleId: 'r', roleName: 'R', permissions: ['checks.read'] }),
      apiKeyIssued('k-exp', fullAccessSnapshot(), { expiresAt: LATER }),
      apiKeyIssued('k-rev', fullAccessSnapshot()),
      revoked('k-rev'),
    ];
    const inviteBy = (keyId: string, now = NOW) =>
      command(
        'InviteMember',
        { userId: 'u3', email: 'three@acme.test', roleId: 'full_access' },
        apiKey(keyId),
        now,
      );
    // truora.users alone may invite, but R12 bars giving out full_access.
    given(history).when(inviteBy('k-users')).thenThrows('PRIVILEGE_ESCALATION');
    given(history).when(inviteBy('k-read')).thenThrows('MISSING_PERMISSION');
    given(history)
      .when(inviteBy('k-exp'))
      .then([
        {
          type: 'MemberInvited',
          data: { userId: 'u3', email: 'three@acme.test', roleId: 'full_access', invitedBy: null },
        },
      ]);
    given(history).when(inviteBy('k-exp', LATER)).thenThrows('API_KEY_NOT_ACTIVE');
    given(history).when(inviteBy('k-rev')).thenThrows('API_KEY_NOT_ACTIVE');
  });

  it('R15 a key whose permission left the catalog can no longer use it', () => {
    given([
      created,
      apiKeyIssued('k1', fullAccessSnapshot()),
      { type: 'CatalogPermissionsRemoved', data: { permissions: ['truora.users'] } },
    ])
      .when(command('InviteMember', { userId: 'u3', email: 'three@acme.test' }, apiKey('k1')))
      .thenThrows('MISSING_PERMISSION');
  });
});
