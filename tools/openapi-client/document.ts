import 'reflect-metadata';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadSettings, withDevelopmentSecrets } from '#libs/config';
import { servedOpenApiDocument } from '#libs/http';
import { createStandaloneApp } from '../../apps/standalone/src/standalone.js';

/**
 * The OpenAPI document exactly as `npm start` serves it at /docs-json: the standalone app is
 * built on a throwaway data directory with development secrets and initialised, but never
 * listens, so regenerating needs no free port and touches no real data.
 */
export async function buildServedDocument(): Promise<unknown> {
  const dataDir = mkdtempSync(join(tmpdir(), 'access-ledger-openapi-'));
  try {
    const settings = withDevelopmentSecrets(
      loadSettings({ NODE_ENV: 'development', DATA_DIR: dataDir }),
    );
    const { app } = await createStandaloneApp(settings, false);
    try {
      await app.init();
      // /docs-json answers JSON.stringify(document): the round trip drops what it drops.
      return JSON.parse(JSON.stringify(servedOpenApiDocument(app))) as unknown;
    } finally {
      await app.close();
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/**
 * Object keys sorted at every depth (arrays keep their order), so the committed file changes
 * only when the API does, not when a module is registered in another order.
 */
export function withSortedKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withSortedKeys);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.keys(value)
      .sort()
      .map((key) => [key, withSortedKeys((value as Record<string, unknown>)[key])]),
  );
}
