import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import type { webcrypto } from 'node:crypto';

type CryptoKey = webcrypto.CryptoKey;
import { jest } from '@jest/globals';
import { AuthenticationError, JwtVerifier } from '#libs/auth';

/** Production verification: keys come from the identity provider's JWKS URL (S3). */
describe('JWT verification with a JWKS URL', () => {
  let server: Server;
  let jwksUrl: string;
  let privateKey: CryptoKey;

  beforeAll(async () => {
    const pair = await generateKeyPair('RS256');
    privateKey = pair.privateKey;
    const jwk = { ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' };
    server = createServer((_, response) => {
      response.setHeader('content-type', 'application/json');
      response.end(JSON.stringify({ keys: [jwk] }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    jwksUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/.well-known/jwks.json`;
  });
  afterAll(() => new Promise((resolve) => server.close(resolve)));

  const sign = (key: CryptoKey | Uint8Array, alg = 'RS256') =>
    new SignJWT({ email: 'a@acme.test', groups: ['eng'] })
      .setProtectedHeader({ alg, kid: 'k1' })
      .setSubject('idp|a')
      .setIssuer('https://idp.test')
      .setAudience('access-ledger')
      .setExpirationTime('5m')
      .sign(key);

  it('S3 accepts a token signed by a key of the JWKS', async () => {
    const verifier = new JwtVerifier({
      jwksUrl,
      issuer: 'https://idp.test',
      audience: 'access-ledger',
    });
    await expect(verifier.verify(await sign(privateKey))).resolves.toEqual({
      issuer: 'https://idp.test',
      subject: 'idp|a',
      email: 'a@acme.test',
      groups: ['eng'],
    });
  });

  it('S3 refuses a token signed by another key, and an HS256 token made with a guessable secret', async () => {
    const verifier = new JwtVerifier({
      jwksUrl,
      issuer: 'https://idp.test',
      audience: 'access-ledger',
    });
    const stranger = (await generateKeyPair('RS256')).privateKey;
    await expect(verifier.verify(await sign(stranger))).rejects.toBeInstanceOf(AuthenticationError);
    const hs = await sign(new TextEncoder().encode('guessable-secret-guessable-secret'), 'HS256');
    await expect(verifier.verify(hs)).rejects.toBeInstanceOf(AuthenticationError);
  });
});

describe('JWT verification with the development secret', () => {
  const settings = {
    secret: 'a-development-secret-of-enough-length',
    issuer: 'iss',
    audience: 'aud',
  };
  const verifier = new JwtVerifier(settings);
  const key = new TextEncoder().encode(settings.secret);
  const token = (claims: Record<string, unknown>, expires = true) => {
    const jwt = new SignJWT({ email: 'a@acme.test', ...claims })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('idp|a')
      .setIssuer('iss')
      .setAudience('aud')
      .setIssuedAt();
    return (expires ? jwt.setExpirationTime('5m') : jwt).sign(key);
  };

  it('S3 a correctly signed JWT without exp is refused (401)', async () => {
    const refusal = verifier.verify(await token({}, false));
    await expect(refusal).rejects.toBeInstanceOf(AuthenticationError);
    await expect(refusal).rejects.toMatchObject({
      code: 'INVALID_TOKEN',
      message: expect.stringContaining('`exp`'),
    });
    // The same token with an expiry is accepted: only the missing claim is at fault.
    await expect(verifier.verify(await token({}))).resolves.toMatchObject({ subject: 'idp|a' });
  });

  it('S3 an exp that is not a number is refused', async () => {
    await expect(verifier.verify(await token({ exp: 'never' }, false))).rejects.toMatchObject({
      code: 'INVALID_TOKEN',
    });
  });

  it("S5 passes on the issuer and the provider's email_verified, when it states one", async () => {
    await expect(verifier.verify(await token({}))).resolves.toEqual({
      issuer: 'iss',
      subject: 'idp|a',
      email: 'a@acme.test',
      groups: [],
    });
    for (const [claim, verified] of [
      [false, false],
      ['false', false],
      [true, true],
      ['true', true],
    ] as const) {
      await expect(verifier.verify(await token({ email_verified: claim }))).resolves.toMatchObject({
        emailVerified: verified,
      });
    }
    await expect(
      verifier.verify(await token({ email_verified: 'maybe' })),
    ).resolves.not.toHaveProperty('emailVerified');
  });

  describe('a verified token, remembered', () => {
    // Only the clock is faked: jose's checks and the cache read Date, nothing here waits.
    const realTimers = [
      'hrtime',
      'nextTick',
      'performance',
      'queueMicrotask',
      'requestAnimationFrame',
      'cancelAnimationFrame',
      'requestIdleCallback',
      'cancelIdleCallback',
      'setImmediate',
      'clearImmediate',
      'setInterval',
      'clearInterval',
      'setTimeout',
      'clearTimeout',
    ] as const;
    const start = Date.UTC(2026, 0, 1);
    beforeEach(() => jest.useFakeTimers({ now: start, doNotFake: [...realTimers] }));
    afterEach(() => jest.useRealTimers());

    const expiringAt = (seconds: number) =>
      new SignJWT({ email: 'a@acme.test', groups: ['eng'] })
        .setProtectedHeader({ alg: 'HS256' })
        .setSubject('idp|a')
        .setIssuer('iss')
        .setAudience('aud')
        .setExpirationTime(seconds)
        .sign(key);

    it('S3 is refused the second its exp passes, as jose refuses it', async () => {
      const remembering = new JwtVerifier(settings);
      const exp = start / 1000 + 30;
      const jwt = await expiringAt(exp);
      await expect(remembering.verify(jwt)).resolves.toMatchObject({ subject: 'idp|a' });
      jest.setSystemTime(exp * 1000 - 1);
      await expect(remembering.verify(jwt)).resolves.toMatchObject({ subject: 'idp|a' });
      jest.setSystemTime(exp * 1000);
      await expect(remembering.verify(jwt)).rejects.toMatchObject({
        code: 'INVALID_TOKEN',
        message: 'The token has expired: sign in again.',
      });
    });

    it('S3 is still refused past its exp when its check is due again', async () => {
      const remembering = new JwtVerifier(settings);
      const exp = start / 1000 + 3600;
      const jwt = await expiringAt(exp);
      await remembering.verify(jwt);
      jest.setSystemTime(start + 120_000);
      await expect(remembering.verify(jwt)).resolves.toMatchObject({ subject: 'idp|a' });
      jest.setSystemTime(exp * 1000 + 1000);
      await expect(remembering.verify(jwt)).rejects.toMatchObject({ code: 'INVALID_TOKEN' });
    });

    it('gives every caller claims of its own', async () => {
      const remembering = new JwtVerifier(settings);
      const jwt = await expiringAt(start / 1000 + 300);
      const first = await remembering.verify(jwt);
      first.groups.push('admins');
      (first as { email: string }).email = 'mallory@acme.test';
      await expect(remembering.verify(jwt)).resolves.toEqual({
        issuer: 'iss',
        subject: 'idp|a',
        email: 'a@acme.test',
        groups: ['eng'],
      });
    });

    it('S3 remembers no refusal: a bad token stays refused, a good one after it passes', async () => {
      const remembering = new JwtVerifier(settings);
      const jwt = await expiringAt(start / 1000 + 300);
      // One character of the signature changed, well inside it (its last one holds padding).
      const at = jwt.lastIndexOf('.') + 10;
      const tampered = `${jwt.slice(0, at)}${jwt[at] === 'x' ? 'y' : 'x'}${jwt.slice(at + 1)}`;
      await expect(remembering.verify(tampered)).rejects.toBeInstanceOf(AuthenticationError);
      await expect(remembering.verify(tampered)).rejects.toBeInstanceOf(AuthenticationError);
      await expect(remembering.verify(jwt)).resolves.toMatchObject({ subject: 'idp|a' });
    });
  });
});
