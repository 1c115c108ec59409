import { SignJWT } from 'jose';
import {
  AuthenticationError,
  Authenticator,
  generateApiKeySecret,
  hashApiKeySecret,
  mintDevelopmentToken,
  StaticTokenSet,
} from '#libs/auth';
import {
  Collections,
  credentialsVerifier,
  MemoryDocumentStore,
  PROJECTION_INDEXES,
  type CredentialDocument,
} from '#libs/read-models';

const jwt = { secret: 'a-development-secret-of-enough-length', issuer: 'iss', audience: 'aud' };
const settings = { jwt, supportTokens: ['support-token-1'], auditorTokens: ['auditor-token-1'] };
const authenticator = new Authenticator(settings);

async function sign(
  claims: Record<string, unknown>,
  options: {
    secret?: string;
    iss?: string;
    aud?: string;
    exp?: string | number;
    alg?: string;
  } = {},
) {
  return new SignJWT(claims)
    .setProtectedHeader({ alg: options.alg ?? 'HS256' })
    .setSubject('user-1')
    .setIssuer(options.iss ?? 'iss')
    .setAudience(options.aud ?? 'aud')
    .setExpirationTime(options.exp ?? '1h')
    .sign(new TextEncoder().encode(options.secret ?? jwt.secret));
}

async function failureCode(header: string | undefined): Promise<string> {
  try {
    await authenticator.authenticate(header);
  } catch (error) {
    if (error instanceof AuthenticationError) return error.code;
    throw error;
  }
  throw new Error('authenticated unexpectedly');
}

describe('authentication', () => {
  it('S3 accepts a member JWT with a valid signature, issuer, audience and expiry', async () => {
    const token = await mintDevelopmentToken(jwt, {
      subject: 'user-1',
      email: 'a@x.io',
      groups: ['g'],
    });
    await expect(authenticator.authenticate(`Bearer ${token}`)).resolves.toEqual({
      type: 'user',
      issuer: 'iss',
      subject: 'user-1',
      email: 'a@x.io',
      groups: ['g'],
    });
  });

  it('S3 refuses a wrong signature, issuer, audience, an expired token and alg none', async () => {
    const email = { email: 'a@x.io' };
    expect(
      await failureCode(`Bearer ${await sign(email, { secret: 'another-secret-entirely-xx' })}`),
    ).toBe('INVALID_TOKEN');
    expect(await failureCode(`Bearer ${await sign(email, { iss: 'evil' })}`)).toBe('INVALID_TOKEN');
    expect(await failureCode(`Bearer ${await sign(email, { aud: 'other' })}`)).toBe(
      'INVALID_TOKEN',
    );
    expect(
      await failureCode(`Bearer ${await sign(email, { exp: Math.floor(Date.now() / 1000) - 60 })}`),
    ).toBe('INVALID_TOKEN');
    const unsigned = `${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from(JSON.stringify({ sub: 'u', email: 'a@x.io', iss: 'iss', aud: 'aud' })).toString('base64url')}.`;
    expect(await failureCode(`Bearer ${unsigned}`)).toBe('INVALID_TOKEN');
  });

  it('S3 refuses a token without an email claim', async () => {
    expect(await failureCode(`Bearer ${await sign({})}`)).toBe('INVALID_TOKEN');
  });

  it('S1 refuses a request without a bearer token', async () => {
    expect(await failureCode(undefined)).toBe('UNAUTHENTICATED');
    expect(await failureCode('Basic abc')).toBe('UNAUTHENTICATED');
  });

  it('S4 recognises configured support and auditor tokens, and nothing close to them', async () => {
    await expect(authenticator.authenticate('Bearer support-token-1')).resolves.toEqual({
      type: 'support',
      id: 'support-1',
    });
    await expect(authenticator.authenticate('Bearer auditor-token-1')).resolves.toEqual({
      type: 'auditor',
      id: 'auditor-1',
    });
    expect(await failureCode('Bearer support-token-2')).toBe('INVALID_TOKEN');
  });

  it('S4 keeps only digests of the configured tokens in memory', () => {
    const set = new StaticTokenSet(['plain-secret-token']);
    expect(JSON.stringify(set)).not.toContain('plain-secret-token');
    expect(set.match('plain-secret-token')).toBe(0);
    expect(set.match('plain-secret-tokeN')).toBe(-1);
  });

  it('R14 API-key secrets carry 256 random bits behind a recognisable prefix, and only a hash is kept', () => {
    const a = generateApiKeySecret();
    const b = generateApiKeySecret();
    expect(a.secret).toMatch(/^alk_[A-Za-z0-9_-]{43}$/);
    expect(a.secret).not.toBe(b.secret);
    expect(a.secretHash).toBe(hashApiKeySecret(a.secret));
    expect(a.secretHash).not.toContain(a.secret.slice(4));
    expect(a.secretPrefix).toBe(a.secret.slice(0, 10));
  });
});

describe('API-key authentication', () => {
  const live = generateApiKeySecret();
  const verifier = async (secretHash: string) =>
    secretHash === live.secretHash ? { organizationId: 'org-1', keyId: 'key-1' } : undefined;
  const withKeys = new Authenticator(settings, verifier);

  it('R15 a live key authenticates as itself, found by the hash of its secret', async () => {
    await expect(withKeys.authenticate(`Bearer ${live.secret}`)).resolves.toEqual({
      type: 'api_key',
      keyId: 'key-1',
      organizationId: 'org-1',
    });
  });

  it('R15 an unknown, revoked or expired key authenticates nothing', async () => {
    const other = generateApiKeySecret();
    await expect(withKeys.authenticate(`Bearer ${other.secret}`)).rejects.toMatchObject({
      code: 'INVALID_TOKEN',
    });
    // Revoked and expired keys, judged by the verifier every service uses: the credentials
    // read model, at the moment of the request.
    const [revoked, expired, expiring] = [1, 2, 3].map(() => generateApiKeySecret());
    const credentials = new MemoryDocumentStore(PROJECTION_INDEXES);
    const credential = (
      secretHash: string,
      keyId: string,
      status: CredentialDocument['status'],
      expiresAt: string | null,
    ) => ({
      type: 'put' as const,
      collection: Collections.credentials,
      document: {
        _id: secretHash,
        organizationId: 'org-1',
        keyId,
        status,
        expiresAt,
        effectivePermissions: [],
      },
    });
    await credentials.apply(
      [
        credential(revoked.secretHash, 'key-revoked', 'revoked', null),
        credential(expired.secretHash, 'key-expired', 'active', '2020-01-01T00:00:00.000Z'),
        credential(expiring.secretHash, 'key-expiring', 'active', '2999-01-01T00:00:00.000Z'),
      ],
      [],
      '1',
    );
    const fromReadModel = new Authenticator(settings, credentialsVerifier(credentials));
    for (const key of [revoked, expired]) {
      await expect(fromReadModel.authenticate(`Bearer ${key.secret}`)).rejects.toMatchObject({
        code: 'INVALID_TOKEN',
      });
    }
    // The same lookup does let a key through until its expiry.
    await expect(fromReadModel.authenticate(`Bearer ${expiring.secret}`)).resolves.toMatchObject({
      keyId: 'key-expiring',
    });
    // A service without the credentials read model accepts no key at all.
    await expect(authenticator.authenticate(`Bearer ${live.secret}`)).rejects.toMatchObject({
      code: 'INVALID_TOKEN',
    });
  });
});
