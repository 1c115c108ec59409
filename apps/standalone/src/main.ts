// First: tracing, when OTEL_* ask for it, must patch http before anything loads it.
import '#libs/tracing';
import 'reflect-metadata';
import { resolve } from 'node:path';
import { Logger } from '@nestjs/common';
import { loadSettings, withDevelopmentSecrets } from '#libs/config';
import { createStandaloneApp } from './standalone.js';

/**
 * `npm start`: Access Ledger on the embedded default, one process, no server to install.
 * The SQLite event store lives in DATA_DIR (./data by default), so state survives restarts.
 */
const settings = withDevelopmentSecrets(loadSettings());
const { app } = await createStandaloneApp(settings);
await app.listen(settings.port, settings.host);

const base = `http://localhost:${settings.port}`;
const store = settings.eventStoreUrl ? 'EventStoreDB' : `SQLite in ${resolve(settings.dataDir)}`;
new Logger('AccessLedger').log(
  `Serving ${base}/v1 (API docs: ${base}/docs; events: ${store}). Mint tokens with \`npm run token -- --help\`.`,
);
