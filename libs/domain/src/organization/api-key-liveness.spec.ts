import { organizationDecider } from './organization.decider.js';
import { DeciderSpecification } from '../testing/decider-specification.js';
import {
  apiKey,
  apiKeyIssued,
  command,
  fullAccessSnapshot,
  NOW,
  organizationCreated,
} from '../testing/organization.fixtures.js';
import { isKeyLive } from './api-key-liveness.js';
import { apiKeyStatus } from './organization.permissions.js';

const given = DeciderSpecification.for(organizationDecider);
const created = organizationCreated();
const live = (expiresAt: string | null, now: string, status: 'active' | 'revoked' = 'active') =>
  isKeyLive({ status, expiresAt }, now);

describe('R15 one judgement of expiry', () => {
  it('R15 a key is live strictly before expiresAt and expired at the instant itself', () => {
    const expiresAt = '2026-03-01T12:00:00.000Z';
    expect(live(expiresAt, '2026-03-01T11:59:59.999Z')).toBe(true);
    expect(live(expiresAt, '2026-03-01T12:00:00.000Z')).toBe(false);
    expect(live(expiresAt, '2026-03-01T12:00:00.001Z')).toBe(false);
    // The same instant spelled differently is still the instant.
    expect(live(expiresAt, '2026-03-01T14:00:00+02:00')).toBe(false);
    expect(live(expiresAt, '2026-03-01T12:00:00Z')).toBe(false);
    expect(live(null, '2999-01-01T00:00:00.000Z')).toBe(true);
    expect(live(null, NOW, 'revoked')).toBe(false);
  });

  it('R15 an expiresAt with an offset is compared as an instant, not as text', () => {
    // 00:00 at +02:00 is 22:00 UTC the day before: as text it sorts after 23:00Z.
    const expiresAt = '2026-03-02T00:00:00+02:00';
    expect(live(expiresAt, '2026-03-01T21:59:59.999Z')).toBe(true);
    expect(live(expiresAt, '2026-03-01T22:00:00.000Z')).toBe(false);
    expect(live(expiresAt, '2026-03-01T23:00:00.000Z')).toBe(false);
    expect(apiKeyStatus({ status: 'active', expiresAt }, '2026-03-01T23:00:00.000Z')).toBe(
      'expired',
    );
  });

  it('R15 a time that cannot be read counts as expired (fail closed)', () => {
    expect(live('not a time', NOW)).toBe(false);
    expect(live('2026-03-02T00:00:00Z', 'not a time')).toBe(false);
  });

  it('R15 IssueApiKey records expiresAt as a UTC instant, whatever offset it was given', () => {
    given([created])
      .when(
        command('IssueApiKey', {
          keyId: 'k1',
          name: 'ci',
          secretHash: 'hash-of-k1',
          secretPrefix: 'al_k1',
          expiresAt: '2026-03-02T00:00:00+02:00',
        }),
      )
      .then([
        {
          type: 'ApiKeyIssued',
          data: {
            ...apiKeyIssued('k1', fullAccessSnapshot()).data,
            name: 'ci',
            secretPrefix: 'al_k1',
            expiresAt: '2026-03-01T22:00:00.000Z',
          },
        },
      ]);
  });

  it('R15 an expiresAt equal to now is refused at issue: the key would be born expired', () => {
    given([created])
      .when(
        command('IssueApiKey', {
          keyId: 'k1',
          name: 'ci',
          secretHash: 'hash-of-k1',
          secretPrefix: 'al_k1',
          expiresAt: '2026-03-01T14:00:00+02:00', // NOW, at +02:00
        }),
      )
      .thenThrows('EXPIRY_NOT_IN_FUTURE');
  });

  it('R15 a key recorded with an offset (before normalisation) stops acting at its instant', () => {
    const history = [
      created,
      apiKeyIssued('k-old', fullAccessSnapshot(), { expiresAt: '2026-03-01T14:00:00.000+02:00' }),
    ];
    const revoke = (now: string) =>
      command('RevokeApiKey', { keyId: 'k-old' }, apiKey('k-old'), now);
    given(history)
      .when(revoke('2026-03-01T11:59:59.999Z'))
      .then([{ type: 'ApiKeyRevoked', data: { keyId: 'k-old' } }]);
    given(history).when(revoke(NOW)).thenThrows('API_KEY_NOT_ACTIVE');
  });
});
