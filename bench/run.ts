import { checksBench } from './checks.bench.js';
import { commandsBench } from './commands.bench.js';
import { csvExportBench } from './csv-export.bench.js';
import { eventStoreBench } from './event-store.bench.js';
import { historyBench } from './history.bench.js';
import { projectionRebuildBench } from './projection-rebuild.bench.js';
import { publisherBench } from './publisher.bench.js';
import { restartBench } from './restart.bench.js';
import { snapshotsBench } from './snapshots.bench.js';
import { machine } from './report.js';

/**
 * Every bench, run one after the other (`npm run bench`). Add new ones to this list.
 * `npm run bench -- checks` (or any part of a name) runs only the benches whose name holds it.
 */
const benches: Array<[name: string, run: () => Promise<void>]> = [
  ['event store', eventStoreBench],
  ['commands', commandsBench],
  ['projection rebuild', projectionRebuildBench],
  ['publisher and change feed', publisherBench],
  ['CSV export', csvExportBench],
  ['checks', checksBench],
  ['snapshots', snapshotsBench],
  ['history', historyBench],
  ['restart', restartBench],
];

const wanted = process.argv.slice(2).map((word) => word.toLowerCase());
const selected = benches.filter(
  ([name]) => wanted.length === 0 || wanted.some((word) => name.toLowerCase().includes(word)),
);
if (selected.length === 0) {
  console.error(
    `No bench matches ${wanted.join(', ')}; they are: ${benches.map(([name]) => name).join(', ')}.`,
  );
  process.exit(1);
}

console.log(`Machine: ${machine()}`);
for (const [name, run] of selected) {
  const started = performance.now();
  await run();
  console.log(`(${name}: ${((performance.now() - started) / 1000).toFixed(1)} s)`);
}
