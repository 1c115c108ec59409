import { availableParallelism, cpus } from 'node:os';

/**
 * Shared helpers for every bench: each figure is printed beside the same machine's raw limit,
 * measured in the same run, with the ratio figure / raw (docs/benchmarks.md).
 */

const COLUMNS = `${'measure'.padEnd(52)}${'figure'.padStart(13)}${'raw'.padStart(13)}${'ratio'.padStart(8)}  unit`;

export function machine(): string {
  return `${availableParallelism()} cores, ${cpus()[0]?.model ?? 'unknown CPU'}, Node ${process.version}, ${new Date().toISOString()}`;
}

export function header(title: string): void {
  console.log(`\n== ${title}\n${COLUMNS}`);
}

/** Prints one figure beside its raw limit and the ratio. */
export function report(name: string, figure: number, raw: number, unit: string): void {
  const ratio = raw > 0 ? (figure / raw).toFixed(2) : 'n/a';
  console.log(
    `${name.padEnd(52)}${format(figure).padStart(13)}${format(raw).padStart(13)}${ratio.padStart(8)}  ${unit}`,
  );
}

export interface Loop {
  /** False once the time budget is spent. */
  running(): boolean;
  /** Counts completed operations (and shows progress about once a second). */
  add(count: number): void;
}

/**
 * Runs `body` and returns operations per second. A time-boxed body loops while `running()`;
 * a fixed-size body may ignore it. Progress goes to stderr so stdout stays a clean table.
 */
export async function measure(
  label: string,
  budgetMs: number,
  body: (loop: Loop) => void | Promise<void>,
): Promise<number> {
  const start = performance.now();
  const deadline = start + budgetMs;
  let total = 0;
  let lastPrint = start;
  const loop: Loop = {
    running: () => performance.now() < deadline,
    add: (count) => {
      total += count;
      const now = performance.now();
      if (now - lastPrint >= 1000) {
        lastPrint = now;
        progress(`  ${label}: ${((now - start) / 1000).toFixed(0)} s, ${format(total)} ops`);
      }
    },
  };
  await body(loop);
  const seconds = (performance.now() - start) / 1000;
  progress('');
  return total / seconds;
}

/**
 * Measures a figure and its raw limit in alternating rounds, so a noisy disk or a busy
 * neighbour affects both alike. Returns the mean rates.
 */
export async function compare(
  label: string,
  rounds: number,
  roundMs: number,
  figureBody: (loop: Loop) => void | Promise<void>,
  rawBody: (loop: Loop) => void | Promise<void>,
): Promise<{ figure: number; raw: number }> {
  let figure = 0;
  let raw = 0;
  for (let round = 1; round <= rounds; round++) {
    raw += await measure(`${label}, raw, round ${round}/${rounds}`, roundMs, rawBody);
    figure += await measure(`${label}, round ${round}/${rounds}`, roundMs, figureBody);
  }
  return { figure: figure / rounds, raw: raw / rounds };
}

/** A progress line on stderr (overwritten in place on a terminal), so stdout stays the table. */
export function progress(line: string): void {
  if (process.stderr.isTTY) process.stderr.write(`\r\x1b[2K${line}`);
  else if (line) process.stderr.write(`${line}\n`);
}

function format(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}
