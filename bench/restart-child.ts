import 'reflect-metadata';
import { loadSettings } from '#libs/config';
import { createStandaloneApp } from '../apps/standalone/src/standalone.js';

/**
 * The embedded default as `npm start` runs it, over the DATA_DIR the restart bench gives it:
 * prints its port once listening and exits cleanly on SIGTERM (the app drains and closes).
 */
const settings = loadSettings({
  NODE_ENV: 'test',
  DATA_DIR: process.env.DATA_DIR ?? '',
  JWT_SECRET: 'jwt-secret-for-the-bench-0123456789abcdef',
  SUPPORT_TOKENS: 'support-token-for-the-bench-0123456789abcdef',
});
const { app } = await createStandaloneApp(settings, ['warn', 'error']);
await app.listen(0, '127.0.0.1');
const address = app.getHttpServer().address() as { port: number };
process.stdout.write(`PORT ${address.port}\n`);
