import {
  activeMember,
  ADMIN,
  apiKeyIssued,
  fullAccessSnapshot,
  LATER,
  NOW,
  organizationCreated,
  roleCreated,
  stateOf,
} from '../testing/organization.fixtures.js';
import {
  adminNamespace,
  apiKeyHoldsAdminNamespace,
  memberHoldsAdminNamespace,
} from './admin-namespace.js';

describe('the whole admin namespace (R40)', () => {
  it('R40 org admins, members of a role holding every admin permission and their live keys hold it; others do not', () => {
    const state = stateOf([
      organizationCreated(['checks.read', 'truora.keys', 'truora.users']),
      roleCreated('r-ns', 'Namespace', ['truora.keys', 'truora.users']),
      roleCreated('r-keys', 'Keys', ['checks.read', 'truora.keys']),
      ...activeMember('u-ns', 'ns@acme.test', 'r-ns'),
      ...activeMember('u-keys', 'keys@acme.test', 'r-keys'),
      ...activeMember('u-plain', 'plain@acme.test'),
      apiKeyIssued('k-full', fullAccessSnapshot(['checks.read', 'truora.keys', 'truora.users'])),
      apiKeyIssued('k-keys', { roleId: 'r-keys', roleName: 'Keys', permissions: ['truora.keys'] }),
      apiKeyIssued('k-expiring', fullAccessSnapshot(['truora.keys', 'truora.users']), {
        expiresAt: LATER,
      }),
    ]);

    expect(adminNamespace(state)).toEqual(['truora.keys', 'truora.users']);
    expect(
      [ADMIN.userId, 'u-ns', 'u-keys', 'u-plain'].map((u) => memberHoldsAdminNamespace(state, u)),
    ).toEqual([true, true, false, false]);
    expect(
      ['k-full', 'k-keys', 'k-expiring', 'k-unknown'].map((k) =>
        apiKeyHoldsAdminNamespace(state, k, NOW),
      ),
    ).toEqual([true, false, true, false]);
    // An expired key holds nothing (R15).
    expect(apiKeyHoldsAdminNamespace(state, 'k-expiring', LATER)).toBe(false);
  });

  it('R40 a key stops holding it when the catalog gains an admin permission its snapshot lacks', () => {
    const events = [
      organizationCreated(['truora.keys', 'truora.users']),
      apiKeyIssued('k-full', fullAccessSnapshot(['truora.keys', 'truora.users'])),
    ];
    expect(apiKeyHoldsAdminNamespace(stateOf(events), 'k-full', NOW)).toBe(true);
    const widened = stateOf([
      ...events,
      { type: 'CatalogPermissionsAdded', data: { permissions: ['truora.workspaces'] } },
    ]);
    expect(apiKeyHoldsAdminNamespace(widened, 'k-full', NOW)).toBe(false);
    expect(memberHoldsAdminNamespace(widened, ADMIN.userId)).toBe(true);
  });

  it('R40 with no admin permission in the catalog only org admins hold it, not everyone vacuously', () => {
    const state = stateOf([
      organizationCreated(['checks.read']),
      ...activeMember('u-plain', 'plain@acme.test'),
      apiKeyIssued('k-any', fullAccessSnapshot(['checks.read'])),
    ]);
    expect(memberHoldsAdminNamespace(state, ADMIN.userId)).toBe(true);
    expect(memberHoldsAdminNamespace(state, 'u-plain')).toBe(false);
    expect(apiKeyHoldsAdminNamespace(state, 'k-any', NOW)).toBe(false);
  });
});
