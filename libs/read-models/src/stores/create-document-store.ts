import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Settings } from '#libs/config';
import type { CollectionIndexes, DocumentStore } from '../document-store.port.js';
import { MongoDocumentStore } from './mongo-document-store.js';
import { SqliteDocumentStore } from './sqlite-document-store.js';

/** The SQLite file of the embedded default's read models, beside events.sqlite. */
export const READ_MODELS_FILE = 'read-models.sqlite';

/**
 * The DocumentStore the settings ask for: MongoDB when MONGO_URL is set, else the embedded
 * default's SQLite file in DATA_DIR: the read models persist, and a restart resumes
 * them from their checkpoints instead of rebuilding them (ADR 20).
 */
export function createDocumentStore(settings: Settings, indexes: CollectionIndexes): DocumentStore {
  if (settings.mongoUrl) return new MongoDocumentStore(settings.mongoUrl, indexes);
  mkdirSync(settings.dataDir, { recursive: true });
  return new SqliteDocumentStore(join(settings.dataDir, READ_MODELS_FILE), indexes);
}
