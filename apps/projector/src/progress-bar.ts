import type { ProjectorProgress } from './projector.options.js';

const WIDTH = 30;

/**
 * A one-line progress bar for long catch-ups, written to a stream (stderr: stdout stays for
 * results). Redrawn in place at most every `intervalMs` on a terminal; one line per
 * `intervalMs * 10` otherwise, so logs of a CI job stay readable.
 */
export function progressBar(
  stream: NodeJS.WriteStream,
  intervalMs = 200,
): { update: (progress: ProjectorProgress) => void; done: () => void } {
  let lastDrawn = -Infinity;
  let drawn = false;
  const every = stream.isTTY ? intervalMs : intervalMs * 10;
  return {
    update(progress) {
      if (!progress.caughtUp && progress.elapsedMs - lastDrawn < every) return;
      lastDrawn = progress.elapsedMs;
      const line = describeProgress(progress);
      if (stream.isTTY) stream.write(`\r\x1b[2K${line}`);
      else stream.write(`${line}\n`);
      drawn = true;
    },
    done() {
      if (drawn && stream.isTTY) stream.write('\n');
    },
  };
}

/**
 * `[#####.....]  45%  450,000/1,000,000 events  98,000 events/s  ETA 6 s`. The total is
 * estimated from positions (the fraction of the target position reached): exact on the
 * embedded store, whose positions count events; an estimate on EventStoreDB, whose positions
 * are byte offsets.
 */
export function describeProgress(progress: ProjectorProgress): string {
  const target = Number(progress.target);
  const fraction = target === 0 ? 1 : Math.min(1, Number(progress.folded) / target);
  const filled = Math.round(fraction * WIDTH);
  const seconds = progress.elapsedMs / 1000;
  const rate = seconds > 0 ? progress.events / seconds : 0;
  const total = fraction > 0 ? Math.round(progress.events / fraction) : undefined;
  const remaining =
    total === undefined || rate === 0 ? undefined : (total - progress.events) / rate;
  return [
    `[${'#'.repeat(filled)}${'.'.repeat(WIDTH - filled)}]`,
    `${(fraction * 100).toFixed(0).padStart(3)}%`,
    `${count(progress.events)}/${total === undefined ? '?' : count(total)} events`,
    `${count(rate)} events/s`,
    progress.caughtUp ? 'done' : `ETA ${remaining === undefined ? '?' : duration(remaining)}`,
  ].join('  ');
}

function count(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

function duration(seconds: number): string {
  if (seconds < 90) return `${Math.ceil(seconds)} s`;
  return `${Math.floor(seconds / 60)} min ${Math.ceil(seconds % 60)} s`;
}
