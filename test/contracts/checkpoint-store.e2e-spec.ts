import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InMemoryCheckpointStore } from '../../apps/publisher/src/checkpoint-store.js';
import { SqliteCheckpointStore } from '../../apps/publisher/src/sqlite-checkpoint-store.js';
import { CHECKPOINT_FILE } from '../../apps/publisher/src/start-publisher.js';
import { checkpointStoreContract } from './checkpoint-store.contract.js';

const dirs: string[] = [];
function tempFile(): string {
  const dir = mkdtempSync(join(tmpdir(), 'checkpoint-store-'));
  dirs.push(dir);
  return join(dir, CHECKPOINT_FILE);
}
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

// The relay's two adapters. Production keeps its checkpoints in the SQLite file too (on the
// publisher's data volume, docker-compose.yml): no server-backed adapter exists to run this
// against when EVENTSTORE_URL / MONGO_URL / KAFKA_BROKERS are set.
checkpointStoreContract(
  'in memory',
  () => {
    const store = new InMemoryCheckpointStore();
    return { open: () => store };
  },
  { durable: false },
);
checkpointStoreContract(
  'SQLite, temporary file',
  () => {
    const file = tempFile();
    return { open: () => new SqliteCheckpointStore(file) };
  },
  { durable: true },
);
