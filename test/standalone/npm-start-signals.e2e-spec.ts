import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { get, request, type IncomingMessage } from 'node:http';
import { connect, createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * `npm start` is what a developer runs and stops with Ctrl-C or `kill`; npm forwards SIGINT and
 * SIGTERM to its script's process, so the script must be that process (`exec node …`, not a
 * shell waiting on node). These spawn the real `npm start` (the build is `npm test`'s pretest,
 * so `--ignore-scripts` skips prestart's second build) and signal the npm process only.
 */
const MAIN = join(process.cwd(), 'dist/apps/standalone/src/main.js');
const SUPPORT_TOKEN = 'support-token-for-signal-tests-0123456789abcdef';
const JWT_SECRET = 'jwt-secret-for-signal-tests-0123456789abcdef';
/** Bounds, not expectations: a loaded machine may take this long to boot or to stop. */
const ATTEMPTS = 600;
const PAUSE_MS = 100;
const TEST_TIMEOUT_MS = 180_000;

describe('npm start stops cleanly', () => {
  let dataDir: string;
  let running: ChildProcess | undefined;

  beforeAll(() => {
    if (!existsSync(MAIN)) throw new Error('dist/ is missing: run `npm run build` first.');
  });
  beforeEach(() => (dataDir = mkdtempSync(join(tmpdir(), 'npm-start-'))));
  afterEach(() => {
    // A failed test must not leave a server behind: the whole group goes.
    if (running?.pid !== undefined && groupAlive(running.pid))
      process.kill(-running.pid, 'SIGKILL');
    running = undefined;
    rmSync(dataDir, { recursive: true, force: true });
  });

  it.each(['SIGTERM', 'SIGINT'] as const)(
    '%s to the npm process ends the stream in flight, closes the port and the stores, exits 0, and the data is there on the next start',
    async (signal) => {
      const port = await freePort();
      running = startNpm(port);
      await waitUntilServing(port);
      const organizationId = await createOrganization(port);
      const feed = await openSupportFeed(port);

      const exited = exitOf(running);
      process.kill(running.pid!, signal);

      expect(await exited).toEqual({ code: 0, signal: null });
      expect(groupAlive(running.pid!)).toBe(false);
      // The stream in flight was ended by the server with a reconnect hint, not cut.
      expect(await feed.ended).toContain(': the server is stopping; reconnect with Last-Event-ID');
      expect(await accepts(port)).toBe(false);
      // Every SQLite store was closed: a clean close folds its write-ahead log into the file.
      expect(readdirSync(dataDir).filter((file) => /-(wal|shm)$/.test(file))).toEqual([]);

      running = startNpm(port);
      await waitUntilServing(port, '/health/ready');
      const catalog = await getJson(port, `/v1/support/organizations/${organizationId}/catalog`);
      expect(catalog).toEqual({ status: 200, body: { permissions: ['checks.read'] } });
      const stopped = exitOf(running);
      process.kill(running.pid!, signal);
      expect(await stopped).toEqual({ code: 0, signal: null });
    },
    TEST_TIMEOUT_MS,
  );

  function startNpm(port: number): ChildProcess {
    // Its own process group, so that "nothing of it is left" can be asked of the group.
    return spawn('npm', ['start', '--ignore-scripts', '--silent'], {
      cwd: process.cwd(),
      detached: true,
      stdio: 'ignore',
      env: {
        ...process.env,
        NODE_OPTIONS: '',
        NODE_ENV: 'development',
        HOST: '127.0.0.1',
        PORT: String(port),
        DATA_DIR: dataDir,
        JWT_SECRET,
        SUPPORT_TOKENS: SUPPORT_TOKEN,
      },
    });
  }
});

function exitOf(child: ChildProcess): Promise<{ code: number | null; signal: string | null }> {
  return new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
}

/** Whether any process of the group led by `pid` is left. */
function groupAlive(pid: number): boolean {
  try {
    process.kill(-pid, 0);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ESRCH') return false;
    throw error;
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

async function waitUntilServing(port: number, path = '/health/live'): Promise<void> {
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    const answer = await getJson(port, path).catch(() => undefined);
    if (answer?.status === 200) return;
    await new Promise((resolve) => setTimeout(resolve, PAUSE_MS));
  }
  throw new Error(`npm start did not answer ${path} on port ${port}`);
}

function getJson(port: number, path: string): Promise<{ status: number; body: unknown }> {
  return new Promise((resolve, reject) => {
    get(
      { host: '127.0.0.1', port, path, headers: { Authorization: `Bearer ${SUPPORT_TOKEN}` } },
      (response) => {
        let text = '';
        response.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
        response.on('end', () => resolve({ status: response.statusCode!, body: JSON.parse(text) }));
      },
    ).once('error', reject);
  });
}

function createOrganization(port: number): Promise<string> {
  const body = JSON.stringify({
    name: 'Acme',
    catalog: ['checks.read'],
    withoutDefaultAdminPermissions: true,
    firstUser: { email: 'ada@acme.test' },
  });
  return new Promise((resolve, reject) => {
    const sent = request(
      {
        host: '127.0.0.1',
        port,
        method: 'POST',
        path: '/v1/support/organizations',
        headers: { Authorization: `Bearer ${SUPPORT_TOKEN}`, 'Content-Type': 'application/json' },
      },
      (response) => {
        let text = '';
        response.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
        response.on('end', () =>
          response.statusCode === 201
            ? resolve((JSON.parse(text) as { organizationId: string }).organizationId)
            : reject(new Error(`creating an organization: ${response.statusCode} ${text}`)),
        );
      },
    );
    sent.once('error', reject).end(body);
  });
}

/** The support change feed, open once its first bytes arrived; `ended`: all it received. */
function openSupportFeed(port: number): Promise<{ ended: Promise<string> }> {
  return new Promise((resolve, reject) => {
    get(
      {
        host: '127.0.0.1',
        port,
        path: '/v1/support/changes',
        headers: { Authorization: `Bearer ${SUPPORT_TOKEN}` },
      },
      (response: IncomingMessage) => {
        if (response.statusCode !== 200) reject(new Error(`feed: ${response.statusCode}`));
        let text = '';
        // Cut or ended, what arrived is the answer: only an end by the server holds its comment.
        const ended = new Promise<string>((end) => response.on('close', () => end(text)));
        response.setEncoding('utf8').once('data', (chunk: string) => {
          text += chunk;
          response.on('data', (more: string) => (text += more));
          resolve({ ended });
        });
      },
    ).once('error', reject);
  });
}
