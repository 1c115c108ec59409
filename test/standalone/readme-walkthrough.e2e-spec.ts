import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { codeBlocks, readRepoFile, REPO_ROOT, section } from '../support/markdown.js';

/**
 * The README's "Five minutes with curl" is run as a reader would paste it: its ```sh blocks,
 * with bash, against `npm start`'s compiled server on a fresh data directory. Only the port is
 * substituted. The token CLI runs as written too (`npm run -s token`); npm is told to skip its
 * `pretoken` build, because `npm test` has built dist/ already and a second build would rewrite
 * files other suites are loading. Needs curl and jq, as the README says.
 */
const MAIN = join(REPO_ROOT, 'dist/apps/standalone/src/main.js');
const WALKTHROUGH = '## Five minutes with curl';
const README_PORT = 'localhost:3000';

/** What a reader sees when the walkthrough works: one line per step that matters. */
const EXPECTED: [step: string, output: RegExp][] = [
  ['1. the server is ready', /^\{"status":"ok"/m],
  ['2. support created the organization', /^\{"organizationId":"[0-9a-f-]{36}","firstUserId"/m],
  ['3. Ada invited Grace', /^Grace is invited as user [0-9a-f-]{36}$/m],
  ['5. Ada created the project', /^\{"projectId":"[0-9a-f-]{36}","position":"\d+"/m],
  [
    '6. the key secret is shown once',
    /^API key [0-9a-f-]{36} issued at position \d+, secret alk_\S{6}/m,
  ],
  [
    '7. the members read back',
    /^\{"email":"grace@acme\.test","status":"active","roleName":"default_access"\}$/m,
  ],
  [
    '8. support sees the key',
    /^\{"name":"ci","status":"active","snapshot":\{"roleId":"full_access"/m,
  ],
  [
    '9. the CSV header',
    /^user_id,email,status,org_role,workspace,project_id,project_name,project_role,granted_via$/m,
  ],
  [
    '9. the CSV row of Grace',
    /^[0-9a-f-]{36},grace@acme\.test,active,default_access,Default,[0-9a-f-]{36},Fraud,viewer,direct$/m,
  ],
  ['10. the check is allowed', /^ {2}"allowed": true,$/m],
  ['10. the check explains its path', /"type": "ProjectMemberAdded"/],
  ['11. as of before, Grace could not view it', /^\{"allowed":false,"position":"\d+"/m],
  ['12. the change feed', /^event \d+: ApiKeyIssued by user dev\|ada@acme\.test$/m],
  ['13. the audit log', /^\d+ +ada@acme\.test invited grace@acme\.test as default_access$/m],
];

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

describe('the README walkthrough', () => {
  let dataDir: string;
  let port: number;
  let server: ChildProcess | undefined;
  let serverOutput = '';

  beforeAll(async () => {
    requireTool('jq', 'apt-get install jq');
    requireTool('curl', 'apt-get install curl');
    if (!existsSync(MAIN)) throw new Error('dist/ is missing: run `npm run build` first.');
    dataDir = mkdtempSync(join(tmpdir(), 'al-readme-'));
    port = await freePort();
    server = spawn(process.execPath, [MAIN], {
      env: { ...readerEnvironment(dataDir), PORT: String(port), HOST: '127.0.0.1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    server.stdout!.on('data', (chunk) => (serverOutput += chunk));
    server.stderr!.on('data', (chunk) => (serverOutput += chunk));
    await waitUntilReady(server, port, () => serverOutput);
  }, 60_000);

  afterAll(async () => {
    if (server && server.exitCode === null) {
      const exited = new Promise((resolve) => server!.once('exit', resolve));
      server.kill('SIGTERM');
      await exited;
    }
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('runs as written against a fresh server and prints each step (R1 R9 R13 R14 R16 R30 R31 R33 R34 R35 R40 S5)', async () => {
    const run = await runBash(walkthroughScript(readRepoFile('README.md'), port), dataDir);
    expect(problemsOf(run)).toEqual([]);
  }, 120_000);

  it('fails when a step of the README breaks (an API key without a name is refused)', async () => {
    const script = walkthroughScript(readRepoFile('README.md'), port);
    const broken = script.replace(`-d '{"name":"ci"}'`, `-d '{"name":""}'`);
    expect(broken).not.toBe(script);
    const run = await runBash(broken, dataDir);
    expect(problemsOf(run)).toEqual(
      expect.arrayContaining([expect.stringMatching(/^missing: 6\. the key secret/)]),
    );
  }, 120_000);
});

/** The walkthrough's ```sh blocks, one script, pointed at the test server's port. */
function walkthroughScript(readme: string, port: number): string {
  const blocks = codeBlocks(section(readme, WALKTHROUGH), 'sh');
  if (blocks.length === 0)
    throw new Error(`the README has no \`\`\`sh block under "${WALKTHROUGH}"`);
  const script = blocks.join('\n');
  const ports = new Set(script.match(/localhost:\d+/g));
  // Anything but the documented port would reach whatever else runs on this machine.
  expect([...ports]).toEqual([README_PORT]);
  return script.replaceAll(README_PORT, `localhost:${port}`);
}

/** bash -e -o pipefail: a step that fails stops the run, as a reader would stop reading. */
function runBash(script: string, dataDir: string): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', ['-e', '-o', 'pipefail', '-c', script], {
      cwd: REPO_ROOT,
      env: { ...readerEnvironment(dataDir), npm_config_ignore_scripts: 'true' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** What went wrong, in words, with the output to look at; empty when the walkthrough worked. */
function problemsOf(run: Run): string[] {
  const problems = [
    ...(run.code === 0 ? [] : [`bash exited with ${run.code}`]),
    ...[...run.stdout.matchAll(/\{"statusCode":\d+,"code":"\w+"[^\n]*/g)].map(
      ([error]) => `an error answer: ${error}`,
    ),
    ...EXPECTED.filter(([, output]) => !output.test(run.stdout)).map(
      ([step, output]) => `missing: ${step} (${output})`,
    ),
  ];
  return problems.length === 0
    ? []
    : [...problems, `stdout:\n${run.stdout}`, `stderr:\n${run.stderr.slice(-4_000)}`];
}

/**
 * A reader's shell: `npm start`'s development defaults in this data directory, none of the
 * test run's or CI's settings (a KAFKA_BROKERS or JWT_SECRET there would change the server).
 */
function readerEnvironment(dataDir: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: 'development', DATA_DIR: dataDir };
  for (const name of [
    'NODE_OPTIONS',
    'JWT_SECRET',
    'JWT_JWKS_URL',
    'JWT_ISSUER',
    'JWT_AUDIENCE',
    'SUPPORT_TOKENS',
    'AUDITOR_TOKENS',
    'EVENTSTORE_URL',
    'MONGO_URL',
    'KAFKA_BROKERS',
  ])
    delete env[name];
  return env;
}

/** Fails (never skips) without a tool the README asks for, saying how to install it. */
function requireTool(tool: string, install: string): void {
  const probe = spawnSync(tool, ['--version'], { stdio: 'ignore' });
  if (probe.error)
    throw new Error(
      `The README walkthrough uses ${tool}, which is not installed here: install it (${install}) and run the test again.`,
    );
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
    probe.on('error', reject);
  });
}

async function waitUntilReady(
  server: ChildProcess,
  port: number,
  output: () => string,
  timeoutMs = 45_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (server.exitCode !== null || server.signalCode !== null)
      throw new Error(`the server exited before it was ready:\n${output()}`);
    const ready = await fetch(`http://127.0.0.1:${port}/health/ready`).then(
      (response) => response.ok,
      () => false,
    );
    if (ready) return;
    if (Date.now() > deadline)
      throw new Error(`the server on port ${port} was not ready in time:\n${output()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
