import { generateApiKeySecret } from '#libs/auth';
import {
  illFormedPaths,
  isWellFormed,
  nestingDepth,
  redactSecrets,
  redactSecretsIn,
} from '#libs/http';

describe('input hygiene', () => {
  it('R38 nesting depth counts brackets outside strings only, without recursion', () => {
    expect(nestingDepth('{"a":[1,{"b":[]}]}')).toBe(4);
    expect(nestingDepth('{"a":"[[[[{{{{"}')).toBe(1);
    expect(nestingDepth('{"a":"\\"[[[["}')).toBe(1);
    expect(nestingDepth('7')).toBe(0);
    expect(nestingDepth('['.repeat(1_000_000))).toBe(1_000_000);
  });

  it('R38 lone surrogates are found in values and keys, by dotted path', () => {
    expect(isWellFormed('😀 e\u0301')).toBe(true);
    expect(isWellFormed('\ud800x')).toBe(false);
    expect(isWellFormed('x\udc00')).toBe(false);
    expect(
      illFormedPaths({
        email: 'a\ud800@b.io',
        firstUser: { email: 'ok@b.io', name: '\udfff' },
        principals: [{ id: 'fine' }, { id: '\ud83d' }],
        '\ud800': 1,
      }),
    ).toEqual(['email', 'firstUser.name', 'principals.1.id', '\ufffd']);
    expect(illFormedPaths('\ud800')).toEqual(['']);
    expect(illFormedPaths({ fine: ['😀', 7, null] })).toEqual([]);
  });

  it('S2 anything shaped like an API-key secret or a JWT is redacted, a key prefix is not', () => {
    const { secret, secretPrefix } = generateApiKeySecret();
    const jwt = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl';
    const redacted = redactSecrets(`named "${secret}" by ${jwt}; listed as ${secretPrefix}`);
    expect(redacted).not.toContain(secret.slice(4));
    expect(redacted).not.toContain(jwt);
    expect(redacted).toBe(`named "alk_[redacted]" by [redacted token]; listed as ${secretPrefix}`);
  });

  it('S2 fields named as secrets are censored whatever they hold', () => {
    expect(
      redactSecretsIn({ name: 'ci', secret: 'plain', nested: [{ secretHash: 'ab12', keep: 1 }] }),
    ).toEqual({
      name: 'ci',
      secret: '[redacted]',
      nested: [{ secretHash: '[redacted]', keep: 1 }],
    });
  });
});
