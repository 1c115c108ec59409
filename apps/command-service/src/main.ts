import 'reflect-metadata';
import { loadSettings, withDevelopmentSecrets } from '#libs/config';
import { createCommandServiceApp } from './bootstrap.js';
import { openStores } from './infrastructure/stores.js';

/** The command service on its own (production: EVENTSTORE_URL set). */
const settings = withDevelopmentSecrets(loadSettings());
const app = await createCommandServiceApp(settings, openStores(settings));
await app.listen(settings.port, settings.host);
