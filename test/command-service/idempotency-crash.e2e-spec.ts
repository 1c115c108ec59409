import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AUDITOR_TOKEN,
  bearer,
  createOrganization,
  startTestApp,
  SUPPORT_TOKEN,
  type CreatedOrganization,
} from '../support/test-app.js';

/**
 * Fault test for R37: the compiled standalone app runs as a child process that is SIGKILLed
 * the moment a command's events are durable, before its answer leaves (crash-after-append.mjs).
 * The client sees a dropped connection and retries with the same Idempotency-Key on a fresh
 * instance over the same data directory: it must get the first result, and nothing more is
 * appended. Needs `npm run build` (CI builds before testing).
 */
const MAIN = join(process.cwd(), 'dist/apps/standalone/src/main.js');
const PRELOAD = join(process.cwd(), 'test/command-service/crash-after-append.mjs');
const JWT_SECRET = 'jwt-secret-for-tests-0123456789abcdef';

interface Send {
  method: 'post';
  path: (org: CreatedOrganization) => string;
  body: (org: CreatedOrganization) => object;
  token: (org: CreatedOrganization) => string;
  /** The id the first result names, which a second run would have made anew. */
  idOf: string;
}

const CASES: Record<string, Send> = {
  'a project (a second run would create a second project)': {
    method: 'post',
    path: (org) => `/v1/orgs/${org.organizationId}/projects`,
    body: (org) => ({ workspaceId: org.defaultWorkspaceId, name: 'Fraud' }),
    token: (org) => org.adminToken,
    idOf: 'projectId',
  },
  'a group (a second run would be refused GROUP_NAME_TAKEN)': {
    method: 'post',
    path: (org) => `/v1/orgs/${org.organizationId}/groups`,
    body: () => ({ name: 'Risk' }),
    token: (org) => org.adminToken,
    idOf: 'groupId',
  },
  'an invitation (a second run would be refused EMAIL_ALREADY_MEMBER)': {
    method: 'post',
    path: (org) => `/v1/orgs/${org.organizationId}/invitations`,
    body: () => ({ email: 'grace@acme.test' }),
    token: (org) => org.adminToken,
    idOf: 'userId',
  },
  'an API key (the retry cannot show the secret again)': {
    method: 'post',
    path: (org) => `/v1/orgs/${org.organizationId}/api-keys`,
    body: () => ({ name: 'ci' }),
    token: (org) => org.adminToken,
    idOf: 'keyId',
  },
  'an organization (a second run would create a second organization)': {
    method: 'post',
    path: () => '/v1/support/organizations',
    body: () => ({ name: 'Globex', firstUser: { email: 'hank@globex.test' } }),
    token: () => SUPPORT_TOKEN,
    idOf: 'organizationId',
  },
};

describe('R37 across a crash between the append and the answer', () => {
  let dataDir: string;
  let org: CreatedOrganization;

  beforeAll(async () => {
    if (!existsSync(MAIN)) throw new Error('dist/ is missing: run `npm run build` first.');
    dataDir = mkdtempSync(join(tmpdir(), 'al-idempotency-crash-'));
    const setup = await startTestApp(dataDir);
    org = await createOrganization(setup);
    await setup.close();
  });
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it.each(Object.entries(CASES))(
    'R37 a retry after the process died with the events durable returns the first result: %s',
    async (_name, send) => {
      const key = `crash-${send.idOf}`;
      const eventsBefore = await countEvents(dataDir);
      const port = await freePort();
      const child = spawn(process.execPath, ['--import', PRELOAD, MAIN], {
        env: {
          ...process.env,
          NODE_ENV: 'test',
          DATA_DIR: dataDir,
          PORT: String(port),
          HOST: '127.0.0.1',
          JWT_SECRET,
          SUPPORT_TOKENS: SUPPORT_TOKEN,
          AUDITOR_TOKENS: AUDITOR_TOKEN,
        },
        stdio: 'ignore',
      });
      const exited = new Promise<NodeJS.Signals | null>((resolve) =>
        child.on('exit', (_code, signal) => resolve(signal)),
      );
      await waitUntilLive(port);
      const dropped = await fetch(`http://127.0.0.1:${port}${send.path(org)}`, {
        method: 'POST',
        headers: {
          ...bearer(send.token(org)),
          'Content-Type': 'application/json',
          'Idempotency-Key': key,
        },
        body: JSON.stringify(send.body(org)),
      }).then(
        () => 'answered',
        () => 'dropped',
      );
      expect(dropped).toBe('dropped');
      expect(await exited).toBe('SIGKILL');
      const eventsAfterCrash = await countEvents(dataDir);
      expect(eventsAfterCrash).toBeGreaterThan(eventsBefore);

      const fresh = await startTestApp(dataDir);
      try {
        const retry = await fresh.http
          .post(send.path(org))
          .set({ ...bearer(send.token(org)), 'Idempotency-Key': key })
          .send(send.body(org));
        expect(retry.status).toBe(201);
        expect(retry.headers['idempotent-replayed']).toBe('true');
        const stored = (await fresh.allEvents()).slice(eventsBefore);
        expect(retry.body.events).toEqual(stored.map(({ id, type }) => ({ id, type })));
        expect(JSON.stringify(stored[0].data)).toContain(retry.body[send.idOf]);
        if ('secret' in retry.body) expect(retry.body.secret).toBeNull();
        expect(await countEvents(dataDir)).toBe(eventsAfterCrash);
      } finally {
        await fresh.close();
      }
    },
  );
});

async function countEvents(dataDir: string): Promise<number> {
  const t = await startTestApp(dataDir, { readYourWrites: false });
  try {
    return (await t.allEvents()).length;
  } finally {
    await t.close();
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

async function waitUntilLive(port: number, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const live = await fetch(`http://127.0.0.1:${port}/health/live`).then(
      (response) => response.ok,
      () => false,
    );
    if (live) return;
    if (Date.now() > deadline) throw new Error(`the app on port ${port} never became live`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
