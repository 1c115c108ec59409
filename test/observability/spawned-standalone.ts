import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * `npm start`'s process, compiled (dist/: `npm run build` must have run, as CI does before
 * testing), with its stdout and stderr kept whole: what an operator's log collector would read.
 */
export interface SpawnedStandalone {
  baseUrl: string;
  dataDir: string;
  /** Everything written so far, stdout then stderr. */
  output(): string;
  stdoutLines(): string[];
  /** Resolves once a stdout line satisfies `matches` (rejects if the process ends first). */
  waitForLine(matches: (line: string) => boolean, what: string): Promise<string>;
  stop(): Promise<void>;
}

const MAIN = fileURLToPath(new URL('../../dist/apps/standalone/src/main.js', import.meta.url));

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export async function spawnStandalone(env: Record<string, string>): Promise<SpawnedStandalone> {
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), 'observability-'));
  const child: ChildProcess = spawn(process.execPath, [MAIN], {
    env: {
      PATH: process.env.PATH,
      HOST: '127.0.0.1',
      PORT: String(port),
      DATA_DIR: dataDir,
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  const waiters = new Set<() => void>();
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.stdout!.on('data', (chunk: Buffer) => {
    stdout += chunk.toString('utf8');
    for (const wake of waiters) wake();
  });
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const stdoutLines = () => stdout.split('\n').filter((line) => line.trim() !== '');

  const waitForLine = (matches: (line: string) => boolean, what: string) =>
    new Promise<string>((resolve, reject) => {
      const check = () => {
        const found = stdoutLines().find(matches);
        if (found === undefined) return;
        waiters.delete(check);
        resolve(found);
      };
      waiters.add(check);
      void exited.then(() => {
        if (!waiters.has(check)) return;
        waiters.delete(check);
        reject(new Error(`the app exited before logging ${what}:\n${stdout}\n${stderr}`));
      });
      check();
    });

  const app: SpawnedStandalone = {
    baseUrl: `http://127.0.0.1:${port}`,
    dataDir,
    output: () => stdout + stderr,
    stdoutLines,
    waitForLine,
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
  await waitForLine((line) => line.includes('Serving http://'), 'that it serves');
  return app;
}
