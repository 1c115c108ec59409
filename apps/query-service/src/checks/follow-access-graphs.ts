import { Logger } from '@nestjs/common';
import { backoffDelay, DEFAULT_BACKOFF, sleep } from '#libs/backoff';
import type { EventStore, Subscription } from '#libs/event-store';
import type { AccessGraphs } from '#libs/read-models';

/**
 * The query service on its own has no projector in its process to fold the access graphs for
 * the checks (R31): it follows the store itself, from the start, and after a failure resumes
 * after the last event it folded. Returns a stop function.
 */
export function followAccessGraphs(store: EventStore, graphs: AccessGraphs): () => Promise<void> {
  const logger = new Logger('AccessGraphs');
  const abort = new AbortController();
  let subscription: Subscription | undefined;
  let failures = 0;
  const follow = () => {
    subscription = store.subscribe(
      { from: graphs.position },
      (event) => {
        failures = 0;
        graphs.apply(event);
      },
      (error) => {
        failures += 1;
        const delay = backoffDelay(failures, DEFAULT_BACKOFF);
        logger.warn(
          `Following the event store failed (${error instanceof Error ? error.name : 'error'}); retrying in ${delay} ms.`,
        );
        void sleep(delay, abort.signal).then(() => abort.signal.aborted || follow());
      },
    );
  };
  follow();
  return async () => {
    abort.abort();
    await subscription?.close();
  };
}
