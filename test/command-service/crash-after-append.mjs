// Preloaded (`node --import`) into the compiled standalone app by idempotency-crash.e2e-spec.ts:
// the process dies by SIGKILL the moment its first append is durable, before any answer leaves.
// It patches the same module instance the app imports (dist/, resolved through #libs/*).
import { SqliteEventStore } from '../../dist/libs/event-store/src/index.js';

const append = SqliteEventStore.prototype.append;
SqliteEventStore.prototype.append = async function (...args) {
  const result = await append.apply(this, args);
  process.kill(process.pid, 'SIGKILL');
  return result;
};
