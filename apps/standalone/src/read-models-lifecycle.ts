import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import type { DocumentStore } from '#libs/read-models';

export const STANDALONE_DOCUMENT_STORE = Symbol('DocumentStore');

/**
 * Closes the read models' store at shutdown: on, not before, so that the projector (stopped
 * before shutdown) has written its last batch and checkpoint; a cleanly closed SQLite file
 * leaves no write-ahead log behind.
 */
@Injectable()
export class ReadModelsLifecycle implements OnApplicationShutdown {
  constructor(@Inject(STANDALONE_DOCUMENT_STORE) private readonly documentStore: DocumentStore) {}

  onApplicationShutdown(): Promise<void> {
    return this.documentStore.close();
  }
}
