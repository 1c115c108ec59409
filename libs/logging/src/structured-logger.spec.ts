import { generateApiKeySecret } from '#libs/auth';
import { createStructuredLogger, organizationIdOf } from '#libs/logging';

/** A logger writing into an array, as the process would write to stdout. */
function capture(level: 'info' | 'silent' = 'info') {
  const lines: string[] = [];
  const logger = createStructuredLogger(
    { environment: 'production', logLevel: level },
    { destination: { write: (line: string) => void lines.push(line) } },
  );
  return { logger, lines };
}

describe('structured logger', () => {
  it('S2 censors fields named as secrets, and anything shaped like a JWT or API-key secret in any field', () => {
    const { logger, lines } = capture();
    const { secret, secretHash } = generateApiKeySecret();
    const jwt = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl';
    logger.info(
      {
        req: { headers: { authorization: 'Bearer support-token-0123456789', cookie: 'sid=1' } },
        secretHash,
        supportTokens: ['support-token-0123456789'],
        url: `/v1/orgs/o/api-keys/${secret}`,
      },
      `token ${jwt} rejected`,
    );
    expect(lines).toHaveLength(1);
    const line = lines[0];
    for (const leaked of ['support-token-0123456789', 'sid=1', secretHash, secret, jwt]) {
      expect({ leaked, found: line.includes(leaked) }).toEqual({ leaked, found: false });
    }
    const record = JSON.parse(line) as Record<string, unknown>;
    expect(record).toEqual(
      expect.objectContaining({
        level: 'info',
        msg: 'token [redacted token] rejected',
        url: '/v1/orgs/o/api-keys/alk_[redacted]',
        req: { headers: { authorization: '[redacted]', cookie: '[redacted]' } },
      }),
    );
  });

  it('writes nothing below its level', () => {
    const { logger, lines } = capture('silent');
    logger.error('not written');
    expect(lines).toEqual([]);
  });

  it('finds the organization of the route, only when it is an id', () => {
    expect(organizationIdOf('/v1/orgs/0b9e-12/members?x=1')).toBe('0b9e-12');
    expect(organizationIdOf('/v1/support/organizations/0b9e-12/catalog')).toBe('0b9e-12');
    expect(organizationIdOf('/v1/support/organizations')).toBeUndefined();
    expect(organizationIdOf('/v1/orgs/%3Cscript%3E/members')).toBeUndefined();
    expect(organizationIdOf('/health/live')).toBeUndefined();
  });
});
