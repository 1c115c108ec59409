import type { Settings } from '#libs/config';
import type { CollectionIndexes, DocumentStore } from '../document-store.port.js';
import { MemoryDocumentStore } from './memory-document-store.js';
import { MongoDocumentStore } from './mongo-document-store.js';

/**
 * The DocumentStore the settings ask for: MongoDB when MONGO_URL is set, else the embedded
 * in-memory store (rebuilt from the event store at start). The SQLite store is built directly
 * by whatever needs a persistent embedded store (the projector's fault tests).
 */
export function createDocumentStore(settings: Settings, indexes: CollectionIndexes): DocumentStore {
  return settings.mongoUrl
    ? new MongoDocumentStore(settings.mongoUrl, indexes)
    : new MemoryDocumentStore(indexes);
}
