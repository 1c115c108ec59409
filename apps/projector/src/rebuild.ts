import { parseArgs } from 'node:util';
import { openUpcastingEventStore } from '#libs/messaging';
import {
  ALL_PROJECTIONS,
  checkpointName,
  createDocumentStore,
  PROJECTION_INDEXES,
  type Projection,
} from '#libs/read-models';
import { loadSettings, SettingsError } from '#libs/config';
import { safeMessage } from './log-safe.js';
import { ProjectionFailedError } from './projection-fold.js';
import { progressBar } from './progress-bar.js';
import { Projector } from './projector.js';

/**
 * `npm run rebuild -- [--projection <name>]...`: empties the chosen projections' collections
 * and checkpoints (every projection by default), replays the whole history into them, and
 * exits. The projections not chosen keep their documents and checkpoints.
 */
const USAGE = `Usage: npm run rebuild -- [--projection <name>]...

Rebuilds read models from the event store: empties the chosen projections' collections and
checkpoints (all of them by default) and replays every event from position 0 (folded, then
each read model written once from the folded states).
Stop the projector processes (or \`npm start\`) first: a running projector keeps writing with
its old checkpoints.

Projections: ${ALL_PROJECTIONS.map((projection) => projection.name).join(', ')}`;

class UsageError extends Error {}

function chosenProjections(): readonly Projection[] | undefined {
  const { values } = parseArgs({
    options: {
      projection: { type: 'string', multiple: true, short: 'p' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) return undefined;
  const names = values.projection ?? [];
  const unknown = names.filter((name) => !ALL_PROJECTIONS.some((p) => p.name === name));
  if (unknown.length > 0) {
    throw new UsageError(
      `Unknown projection ${unknown.join(', ')}. Choose among: ${ALL_PROJECTIONS.map((p) => p.name).join(', ')}.`,
    );
  }
  return names.length === 0
    ? ALL_PROJECTIONS
    : ALL_PROJECTIONS.filter((projection) => names.includes(projection.name));
}

async function rebuild(projections: readonly Projection[]): Promise<void> {
  const settings = loadSettings();
  if (!settings.mongoUrl) {
    console.error(
      `MONGO_URL is not set: rebuilding the embedded read models in ${settings.dataDir}. Stop \`npm start\` first.`,
    );
  }
  const eventStore = openUpcastingEventStore(settings);
  const documentStore = createDocumentStore(settings, PROJECTION_INDEXES);
  const bar = progressBar(process.stderr);
  try {
    const names = projections.map((projection) => projection.name);
    const checkpoints = projections.map(checkpointName);
    const collections = projections.flatMap((projection) => Object.keys(projection.collections));
    await documentStore.reset(collections, checkpoints);
    const projector = new Projector(eventStore, documentStore, projections, {
      batchSize: 1000,
      maxBatchDelayMs: 0,
      onProgress: bar.update,
    });
    const started = performance.now();
    await projector.start();
    await projector.stop();
    bar.done();
    const seconds = (performance.now() - started) / 1000;
    console.log(
      `Rebuilt ${names.join(', ')} up to position ${projector.position()} in ${seconds.toFixed(1)} s.`,
    );
  } finally {
    await Promise.allSettled([documentStore.close(), eventStore.close()]);
  }
}

try {
  const projections = chosenProjections();
  if (projections === undefined) console.log(USAGE);
  else await rebuild(projections);
} catch (error) {
  if (error instanceof UsageError) {
    console.error(`${error.message}\n\n${USAGE}`);
  } else {
    const trusted = [SettingsError, ProjectionFailedError];
    console.error(`Rebuild failed: ${safeMessage(error, trusted)}`);
    console.error(
      'The events are untouched. Fix the cause and run the rebuild again; until then the projections being rebuilt are incomplete.',
    );
  }
  process.exitCode = 1;
}
