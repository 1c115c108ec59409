import { organizationDecider } from './organization.decider.js';
import { DeciderSpecification } from '../testing/decider-specification.js';
import {
  activeMember,
  admin,
  apiKeyIssued,
  CATALOG,
  command,
  fullAccessSnapshot,
  NOW,
  organizationCreated,
  roleCreated,
  stateOf,
  support,
} from '../testing/organization.fixtures.js';
import { apiKeyEffectivePermissions, rolePermissions } from './organization.permissions.js';

const given = DeciderSpecification.for(organizationDecider);
const add = (permissions: string[]) => command('AddCatalogPermissions', { permissions }, support);
const remove = (permissions: string[]) =>
  command('RemoveCatalogPermissions', { permissions }, support);

describe('catalog', () => {
  it('adds only permissions new to the catalog, sorted', () => {
    given([organizationCreated()])
      .when(add(['reports.read', 'checks.read', 'audit:export', 'reports.read']))
      .then([
        {
          type: 'CatalogPermissionsAdded',
          data: { permissions: ['audit:export', 'reports.read'] },
        },
      ]);
  });

  it('appends nothing when no permission is new', () => {
    given([organizationCreated()])
      .when(add(['checks.read', 'truora.users']))
      .thenNothing();
  });

  it('refuses malformed permissions, naming them', () => {
    given([organizationCreated()])
      .when(add(['ok.one', 'NOT_OK', 'x'.repeat(129)]))
      .thenThrows('INVALID_PERMISSION', (e) =>
        expect(e.details).toEqual({ invalid: ['NOT_OK', 'x'.repeat(129)] }),
      );
  });

  it('ignores permissions not in the catalog on removal; nothing to remove appends nothing', () => {
    given([organizationCreated()])
      .when(remove(['never.there']))
      .thenNothing();
  });

  it('R4 R32 removing a permission removes it from every custom role that holds it, in the same decision, each update caused by the removal', () => {
    given([
      organizationCreated(),
      roleCreated('r-ops', 'Ops', ['checks.read', 'checks.write']),
      roleCreated('r-read', 'Reader', ['checks.read']),
      roleCreated('r-keys', 'Keys', ['truora.keys']),
    ])
      .when(remove(['checks.read', 'unknown.one']))
      .then([
        { type: 'CatalogPermissionsRemoved', data: { permissions: ['checks.read'] } },
        {
          type: 'RoleUpdated',
          data: { roleId: 'r-ops', name: 'Ops', permissions: ['checks.write'] },
          causedBy: 0,
        },
        {
          type: 'RoleUpdated',
          data: { roleId: 'r-read', name: 'Reader', permissions: [] },
          causedBy: 0,
        },
      ]);
  });

  it('R4 API keys lose the removed permission from their effective permissions, while their snapshots keep it', () => {
    const history = [organizationCreated(), apiKeyIssued('k1', fullAccessSnapshot())];
    const events = organizationDecider.decide(remove(['checks.write']), stateOf(history));
    const state = stateOf([...history, ...events]);
    expect(apiKeyEffectivePermissions(state, 'k1', NOW)).toEqual([
      'checks.read',
      'truora.keys',
      'truora.users',
    ]);
    expect(state.apiKeys.get('k1')?.snapshot.permissions).toEqual(CATALOG);
  });

  it('R2 full_access equals the catalog and default_access the catalog minus truora.*, before and after catalog changes', () => {
    const history = [organizationCreated()];
    let state = stateOf(history);
    expect(rolePermissions(state, 'full_access')).toEqual(CATALOG);
    expect(rolePermissions(state, 'default_access')).toEqual(['checks.read', 'checks.write']);

    state = stateOf([
      ...history,
      ...organizationDecider.decide(add(['reports.read', 'truora.roles']), state),
    ]);
    expect(rolePermissions(state, 'full_access')).toEqual(
      [...CATALOG, 'reports.read', 'truora.roles'].sort(),
    );
    expect(rolePermissions(state, 'default_access')).toEqual([
      'checks.read',
      'checks.write',
      'reports.read',
    ]);

    const afterRemoval = stateOf([
      ...history,
      { type: 'CatalogPermissionsAdded', data: { permissions: ['reports.read', 'truora.roles'] } },
      { type: 'CatalogPermissionsRemoved', data: { permissions: ['checks.write', 'truora.keys'] } },
    ]);
    expect(rolePermissions(afterRemoval, 'full_access')).toEqual([
      'checks.read',
      'reports.read',
      'truora.roles',
      'truora.users',
    ]);
    expect(rolePermissions(afterRemoval, 'default_access')).toEqual([
      'checks.read',
      'reports.read',
    ]);
  });

  it('only support edits the catalog, even for an org admin', () => {
    given([organizationCreated()])
      .when(command('AddCatalogPermissions', { permissions: ['x.y'] }, admin))
      .thenThrows('SUPPORT_ONLY', (e) => expect(e.kind).toBe('forbidden'));
    given([organizationCreated(), ...activeMember('u2', 'two@acme.test', 'full_access')])
      .when(command('RemoveCatalogPermissions', { permissions: ['checks.read'] }, admin))
      .thenThrows('SUPPORT_ONLY');
  });

  it('refuses catalog edits on an organization that does not exist', () => {
    given([])
      .when(add(['x.y']))
      .thenThrows('ORGANIZATION_NOT_FOUND');
  });
});
