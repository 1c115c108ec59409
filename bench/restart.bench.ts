import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { EVENTS_FILE, SqliteEventStore } from '#libs/event-store';
import { generateHistory } from './projection-rebuild.bench.js';
import { header, progress, report } from './report.js';

/** Histories restarted over, in events; RESTART_BENCH_EVENTS overrides (comma-separated). */
const SIZES = (process.env.RESTART_BENCH_EVENTS ?? '100000,1000000').split(',').map(Number);
const ORGANIZATIONS = 100;
/** docs/benchmarks.md#targets: ready in under 5 s with 1,000,000 events of history. */
const READY_BAR_MS = 5_000;

/**
 * Restart (ADR 20, docs/benchmarks.md#targets): the embedded default (bench/restart-child.ts, a
 * process of its own so its peak RSS is its own) over a generated history — first start (it builds
 * the read models and the folds' snapshots), a clean stop, then a restart: time until
 * `/health/live` and `/health/ready` answer 200, and the peak RSS of each process. The raw limit of
 * the restart is the bare process: the same child boot over an empty data directory.
 */
export async function restartBench(): Promise<void> {
  header('restart of the embedded default (one process, SQLite events, snapshots and read models)');
  const empty = mkdtempSync(join(tmpdir(), 'bench-restart-empty-'));
  try {
    const bare = await boot(empty);
    await bare.stop();
    report('(raw) start over an empty data dir, to ready', bare.readyMs, bare.readyMs, 'ms');
    const rss: Record<number, number> = {};
    for (const events of SIZES) {
      const dir = mkdtempSync(join(tmpdir(), 'bench-restart-'));
      try {
        const store = new SqliteEventStore(join(dir, EVENTS_FILE), { pageSize: 5000 });
        await generateHistory(store, events, ORGANIZATIONS);
        await store.close();
        const label = `${(events / 1000).toLocaleString('en')}k events`;
        const first = await boot(dir);
        await first.stop();
        report(
          `first start, ${label} (builds read models), to ready`,
          first.readyMs,
          bare.readyMs,
          'ms',
        );
        report(
          `first start, ${label}, events/s beyond the bare start`,
          events / (Math.max(1, first.readyMs - bare.readyMs) / 1000),
          100_000,
          'events/s (target: 100,000)',
        );
        const again = await boot(dir);
        await again.stop();
        report(`restart, ${label}, to live`, again.liveMs, bare.liveMs, 'ms');
        report(
          `restart, ${label}, to ready`,
          again.readyMs,
          READY_BAR_MS,
          `ms (target: < ${READY_BAR_MS})`,
        );
        report(
          `restart, ${label}, peak RSS`,
          again.peakRssMb,
          bare.peakRssMb,
          'MB (raw: empty start)',
        );
        report(
          `first start, ${label}, peak RSS`,
          first.peakRssMb,
          bare.peakRssMb,
          'MB (raw: empty start)',
        );
        rss[events] = again.peakRssMb;
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }
    const [small, large] = [Math.min(...SIZES), Math.max(...SIZES)];
    if (small !== large) {
      report(
        `restart peak RSS, ${large / 1000}k beside ${small / 1000}k events`,
        rss[large],
        rss[small],
        'MB (issue 11: ratio within 1.5)',
      );
    }
  } finally {
    rmSync(empty, { recursive: true, force: true });
  }
}

interface Booted {
  liveMs: number;
  readyMs: number;
  peakRssMb: number;
  stop(): Promise<void>;
}

/** Starts the child over `dir`; resolves once `/health/ready` is 200. */
async function boot(dir: string): Promise<Booted> {
  const child = spawn(
    process.execPath,
    [join(dirname(fileURLToPath(import.meta.url)), 'restart-child.js')],
    { env: { ...process.env, DATA_DIR: dir }, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const started = performance.now();
  let peakRssMb = 0;
  const sampler = setInterval(() => (peakRssMb = Math.max(peakRssMb, vmHwmMb(child))), 50);
  try {
    const port = await portOf(child);
    const liveMs = await until(port, '/health/live', started);
    const readyMs = await until(port, '/health/ready', started, (elapsed) =>
      progress(`  catching up: ${(elapsed / 1000).toFixed(1)} s`),
    );
    progress('');
    peakRssMb = Math.max(peakRssMb, vmHwmMb(child));
    return {
      liveMs,
      readyMs,
      get peakRssMb() {
        return peakRssMb;
      },
      stop: async () => {
        peakRssMb = Math.max(peakRssMb, vmHwmMb(child));
        clearInterval(sampler);
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await exited;
      },
    };
  } catch (error) {
    clearInterval(sampler);
    child.kill('SIGKILL');
    throw error;
  }
}

function portOf(child: ChildProcess): Promise<number> {
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /PORT (\d+)/.exec(out);
      if (match) resolve(Number(match[1]));
    });
    child.once('exit', (code) => reject(new Error(`the app exited (${code}) before listening`)));
  });
}

/** Milliseconds from `started` until GET `path` answers 200 (polled every 20 ms). */
async function until(
  port: number,
  path: string,
  started: number,
  tick?: (elapsedMs: number) => void,
): Promise<number> {
  let lastTick = 0;
  for (;;) {
    try {
      const response = await fetch(`http://127.0.0.1:${port}${path}`);
      await response.arrayBuffer();
      if (response.status === 200) return performance.now() - started;
    } catch {
      // Not listening yet.
    }
    const elapsed = performance.now() - started;
    if (tick && elapsed - lastTick > 1000) {
      tick(elapsed);
      lastTick = elapsed;
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** The child's peak resident set (VmHWM), in MB; 0 once it has gone. */
function vmHwmMb(child: ChildProcess): number {
  try {
    const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
    const kb = /VmHWM:\s+(\d+) kB/.exec(status)?.[1];
    return kb ? Number(kb) / 1024 : 0;
  } catch {
    return 0;
  }
}
