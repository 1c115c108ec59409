import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { hashApiKeySecret, mintDevelopmentToken } from '#libs/auth';
import { loadSettings } from '#libs/config';
import { spawnStandalone, type SpawnedStandalone } from './spawned-standalone.js';

const secret = () => randomBytes(32).toString('base64url');

/**
 * S2 in the logs: the real process (production settings, so JSON and no pretty-printing)
 * is driven with a member JWT, a support token and an API key, failing requests included,
 * and everything it wrote is read back.
 */
describe('structured logs of the running app', () => {
  const env = {
    NODE_ENV: 'production',
    JWT_SECRET: secret(),
    SUPPORT_TOKENS: secret(),
    AUDITOR_TOKENS: secret(),
  };
  const supportToken = env.SUPPORT_TOKENS;
  let app: SpawnedStandalone;
  afterAll(async () => {
    await app?.stop();
    if (app) rmSync(app.dataDir, { recursive: true, force: true });
  });

  it('S2 every line is JSON; request lines carry reqId, correlationId and orgId; no JWT, support token, API-key secret or hash is written', async () => {
    app = await spawnStandalone(env);
    const jwt = loadSettings(env).jwt;
    const send = async (
      method: string,
      path: string,
      token: string | undefined,
      { body, headers = {} }: { body?: string | object; headers?: Record<string, string> } = {},
    ) => {
      const response = await fetch(app.baseUrl + path, {
        method,
        headers: {
          ...(token !== undefined && { Authorization: `Bearer ${token}` }),
          ...(body !== undefined && { 'Content-Type': 'application/json' }),
          ...headers,
        },
        body: typeof body === 'string' ? body : body && JSON.stringify(body),
      });
      const text = await response.text();
      return { status: response.status, headers: response.headers, json: () => JSON.parse(text) };
    };

    const email = 'ada@acme.test';
    const created = await send('POST', '/v1/support/organizations', supportToken, {
      body: { name: 'Acme', firstUser: { email } },
      headers: { 'X-Request-Id': 'request-from-the-proxy-1' },
    });
    expect(created.status).toBe(201);
    expect(created.headers.get('x-request-id')).toBe('request-from-the-proxy-1');
    const { organizationId } = created.json() as { organizationId: string };
    const orgPath = `/v1/orgs/${organizationId}`;
    const memberJwt = await mintDevelopmentToken(jwt, { subject: 'sub|ada', email });

    const issued = await send('POST', `${orgPath}/api-keys`, memberJwt, { body: { name: 'ci' } });
    expect(issued.status).toBe(201);
    const { secret: apiKey, position } = issued.json() as { secret: string; position: string };
    const unknownKey = `alk_${secret()}`;
    const tamperedJwt = `${memberJwt.slice(0, -4)}AAAA`;

    const answers = [
      await send('GET', `${orgPath}/members`, memberJwt),
      await send('GET', `${orgPath}/api-keys?minPosition=${position}`, apiKey),
      await send('GET', `${orgPath}/members`, tamperedJwt),
      await send('GET', `${orgPath}/members`, unknownKey),
      await send('GET', `${orgPath}/members`, 'not-a-token-at-all'),
      await send(
        'GET',
        `/v1/support/organizations/${organizationId}/api-keys/${apiKey}`,
        supportToken,
      ),
      await send('POST', `${orgPath}/roles`, supportToken, { body: '{"name": ' }),
      // A caller pasting a secret where an id goes: echoed to them, never into the log.
      await send('GET', `${orgPath}/members`, memberJwt, {
        headers: { 'X-Request-Id': apiKey, 'X-Correlation-Id': memberJwt.slice(0, 128) },
      }),
    ].map((answer) => answer.status);
    expect(answers).toEqual([200, 200, 401, 401, 401, 404, 400, 200]);

    // The request line is written when the response finishes: wait for the last one's.
    await send('GET', '/health/live', undefined, { headers: { 'X-Request-Id': 'last-request' } });
    await app.waitForLine((line) => line.includes('"reqId":"last-request"'), 'the last request');

    const records = app.stdoutLines().map((line) => JSON.parse(line) as Record<string, unknown>);
    for (const record of records) {
      expect(record).toEqual(
        expect.objectContaining({ level: expect.any(String), time: expect.any(String) }),
      );
    }
    const requests = records.filter((record) => record.msg === 'request completed') as {
      reqId: string;
      correlationId: string;
      orgId?: string;
      req: { method: string; url: string };
    }[];
    expect(requests.length).toBeGreaterThanOrEqual(answers.length + 3);
    for (const line of requests) {
      expect(line).toEqual(
        expect.objectContaining({ reqId: expect.any(String), correlationId: expect.any(String) }),
      );
      if (line.req.url.includes(organizationId)) expect(line.orgId).toBe(organizationId);
    }
    const fromProxy = requests.find((line) => line.reqId === 'request-from-the-proxy-1');
    expect(fromProxy?.correlationId).toBe(created.headers.get('x-correlation-id'));
    // No header is logged: the credentials they carry never reach a line.
    expect(Object.keys(fromProxy?.req ?? {}).sort()).toEqual(['method', 'remoteAddress', 'url']);

    const output = app.output();
    const secrets = {
      supportToken,
      auditorToken: env.AUDITOR_TOKENS,
      jwtSecret: env.JWT_SECRET,
      memberJwt,
      memberJwtSignature: memberJwt.split('.')[2],
      tamperedJwt,
      apiKey,
      apiKeyBody: apiKey.slice('alk_'.length),
      apiKeyHash: hashApiKeySecret(apiKey),
      unknownKey,
    };
    const leaked = Object.entries(secrets).filter(([, value]) => output.includes(value));
    expect(leaked.map(([name]) => name)).toEqual([]);
  }, 60_000);
});
