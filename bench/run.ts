import { commandsBench } from './commands.bench.js';
import { csvExportBench } from './csv-export.bench.js';
import { eventStoreBench } from './event-store.bench.js';
import { projectionRebuildBench } from './projection-rebuild.bench.js';
import { publisherBench } from './publisher.bench.js';
import { machine } from './report.js';

/** Every bench, run one after the other (`npm run bench`). Add new ones to this list. */
const benches: Array<[name: string, run: () => Promise<void>]> = [
  ['event store', eventStoreBench],
  ['commands', commandsBench],
  ['projection rebuild', projectionRebuildBench],
  ['publisher and change feed', publisherBench],
  ['CSV export', csvExportBench],
];

console.log(`Machine: ${machine()}`);
for (const [name, run] of benches) {
  const started = performance.now();
  await run();
  console.log(`(${name}: ${((performance.now() - started) / 1000).toFixed(1)} s)`);
}
