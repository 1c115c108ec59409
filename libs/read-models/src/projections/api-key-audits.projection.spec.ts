import { Collections, type ApiKeyAuditDocument, type CredentialDocument } from '../documents.js';
import { History, support, userActor } from './testing/history.js';

const audit = (history: History, keyId: string) =>
  history.doc<ApiKeyAuditDocument>(Collections.apiKeyAudits, keyId);
const credential = (history: History, hash: string) =>
  history.projector.get(Collections.credentials, hash) as CredentialDocument | undefined;

/** A catalog without entitlements, so that the whole catalog below is short and stable. */
const CATALOG = ['checks.read', 'checks.write', 'truora.keys', 'truora.users'];

/** dave, a second org admin, issues k-1 with the whole catalog. */
function setUp(): History {
  const history = new History('acme', undefined, CATALOG);
  history.member('u-dave', 'dave@acme.test', 'full_access');
  history.run(
    'IssueApiKey',
    {
      keyId: 'k-1',
      name: 'ci',
      secretHash: 'hash-1',
      secretPrefix: 'al_k1',
      expiresAt: '2027-01-01T00:00:00.000Z',
    },
    userActor('dave@acme.test'),
  );
  return history;
}

describe('API-key audits and credentials projections', () => {
  it('R16 the audit shows the issuer, issue time, snapshot and effective permissions, never the hash (S2)', () => {
    const history = setUp();
    expect(audit(history, 'k-1')).toEqual({
      _id: 'acme:k-1',
      organizationId: 'acme',
      keyId: 'k-1',
      name: 'ci',
      issuedBy: 'u-dave',
      issuedAt: '2026-03-01T12:00:00.000Z',
      expiresAt: '2027-01-01T00:00:00.000Z',
      status: 'active',
      snapshot: {
        roleId: 'full_access',
        roleName: 'full_access',
        permissions: ['checks.read', 'checks.write', 'truora.keys', 'truora.users'],
      },
      effectivePermissions: ['checks.read', 'checks.write', 'truora.keys', 'truora.users'],
      flags: { issuerRemoved: false, snapshotExceedsIssuer: false },
    });
  });

  it('R15 the credential is keyed by the hash, with status, expiry and effective permissions', () => {
    const history = setUp();
    expect(credential(history, 'hash-1')).toEqual({
      _id: 'hash-1',
      organizationId: 'acme',
      keyId: 'k-1',
      status: 'active',
      expiresAt: '2027-01-01T00:00:00.000Z',
      effectivePermissions: ['checks.read', 'checks.write', 'truora.keys', 'truora.users'],
    });
    history.run('RevokeApiKey', { keyId: 'k-1' });
    expect(credential(history, 'hash-1')?.status).toBe('revoked');
    expect(audit(history, 'k-1')?.status).toBe('revoked');
  });

  it('R4 R15 a permission leaving the catalog leaves the effective permissions of every key; the snapshot keeps it', () => {
    const history = setUp();
    history.run('IssueApiKey', {
      keyId: 'k-2',
      name: 'admin',
      secretHash: 'hash-2',
      secretPrefix: 'al_k2',
    });
    history.run('RemoveCatalogPermissions', { permissions: ['checks.write'] }, support);
    for (const [keyId, hash] of [
      ['k-1', 'hash-1'],
      ['k-2', 'hash-2'],
    ]) {
      expect(audit(history, keyId)?.snapshot.permissions).toContain('checks.write');
      expect(audit(history, keyId)?.effectivePermissions).toEqual([
        'checks.read',
        'truora.keys',
        'truora.users',
      ]);
      expect(credential(history, hash)?.effectivePermissions).toEqual([
        'checks.read',
        'truora.keys',
        'truora.users',
      ]);
    }
    // Put back, it is in effect again: the snapshot never changed (R13).
    history.run('AddCatalogPermissions', { permissions: ['checks.write'] }, support);
    expect(credential(history, 'hash-1')?.effectivePermissions).toContain('checks.write');
  });

  it('R11 a key whose issuer left is flagged and keeps working until revoked', () => {
    const history = setUp();
    history.run('RemoveMember', { userId: 'u-dave' });
    expect(audit(history, 'k-1')?.flags.issuerRemoved).toBe(true);
    expect(credential(history, 'hash-1')).toMatchObject({
      status: 'active',
      effectivePermissions: ['checks.read', 'checks.write', 'truora.keys', 'truora.users'],
    });
  });

  it('R12 R13 a key whose issuer was demoted is flagged: its snapshot exceeds the issuer', () => {
    const history = setUp();
    history.run('ChangeMemberRole', { userId: 'u-dave', roleId: 'default_access' });
    expect(audit(history, 'k-1')?.flags).toEqual({
      issuerRemoved: false,
      snapshotExceedsIssuer: true,
    });
    history.run('ChangeMemberRole', { userId: 'u-dave', roleId: 'full_access' });
    expect(audit(history, 'k-1')?.flags.snapshotExceedsIssuer).toBe(false);
  });

  it('R4 a custom role losing permissions flags its holders keys', () => {
    const history = new History();
    history.run('AddCatalogPermissions', { permissions: ['truora.roles'] }, support);
    history.run('CreateRole', {
      roleId: 'r-keys',
      name: 'Key managers',
      permissions: ['checks.read', 'truora.keys'],
    });
    history.member('u-erin', 'erin@acme.test', 'r-keys');
    history.run(
      'IssueApiKey',
      { keyId: 'k-e', name: 'erin', secretHash: 'hash-e', secretPrefix: 'al_ke' },
      userActor('erin@acme.test'),
    );
    expect(audit(history, 'k-e')?.flags.snapshotExceedsIssuer).toBe(false);
    history.run('UpdateRole', { roleId: 'r-keys', permissions: ['truora.keys'] });
    expect(audit(history, 'k-e')?.flags.snapshotExceedsIssuer).toBe(true);
    expect(audit(history, 'k-e')?.snapshot.roleName).toBe('Key managers');
  });
});
