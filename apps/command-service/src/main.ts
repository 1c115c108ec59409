// First: tracing, when OTEL_* ask for it, must patch http before anything loads it.
import '#libs/tracing';
import 'reflect-metadata';
import { loadSettings, withDevelopmentSecrets } from '#libs/config';
import { createDocumentStore, credentialsVerifier, PROJECTION_INDEXES } from '#libs/read-models';
import { createCommandServiceApp } from './bootstrap.js';
import { openStores } from './infrastructure/stores.js';

/**
 * The command service on its own (production: EVENTSTORE_URL set). API keys authenticate
 * through the credentials read model the projector keeps in MongoDB (R15); without MONGO_URL
 * there is none to ask, and only tokens are accepted.
 */
const settings = withDevelopmentSecrets(loadSettings());
const verifyApiKey = settings.mongoUrl
  ? credentialsVerifier(createDocumentStore(settings, PROJECTION_INDEXES))
  : undefined;
const app = await createCommandServiceApp(settings, openStores(settings), undefined, verifyApiKey);
await app.listen(settings.port, settings.host);
