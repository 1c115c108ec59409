import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { mintDevelopmentToken } from '#libs/auth';
import { loadSettings, type Settings } from '#libs/config';
import type { EventStore, RecordedEvent } from '#libs/event-store';
import { createCommandServiceApp } from '../../apps/command-service/src/bootstrap.js';
import { openStores } from '../../apps/command-service/src/infrastructure/stores.js';

export const SUPPORT_TOKEN = 'support-token-for-tests-0123456789abcdef';
export const AUDITOR_TOKEN = 'auditor-token-for-tests-0123456789abcdef';

export interface TestApp {
  app: INestApplication;
  http: ReturnType<typeof request>;
  store: EventStore;
  settings: Settings;
  close(): Promise<void>;
  /** A member JWT for this app. */
  tokenFor(email: string, subject?: string): Promise<string>;
  allEvents(): Promise<RecordedEvent[]>;
}

/** The command service in process, on a fresh SQLite data directory (or a given one). */
export async function startTestApp(
  dataDir = mkdtempSync(join(tmpdir(), 'access-ledger-')),
): Promise<TestApp> {
  const settings = loadSettings({
    NODE_ENV: 'test',
    DATA_DIR: dataDir,
    JWT_SECRET: 'jwt-secret-for-tests-0123456789abcdef',
    SUPPORT_TOKENS: SUPPORT_TOKEN,
    AUDITOR_TOKENS: AUDITOR_TOKEN,
  });
  const stores = openStores(settings);
  const app = await createCommandServiceApp(settings, stores, false);
  await app.init();
  return {
    app,
    http: request(app.getHttpServer()),
    store: stores.eventStore,
    settings,
    close: () => app.close(),
    tokenFor: (email, subject) =>
      mintDevelopmentToken(settings.jwt, { subject: subject ?? `sub|${email}`, email }),
    allEvents: async () => {
      const events: RecordedEvent[] = [];
      for await (const event of stores.eventStore.readAll()) events.push(event);
      return events;
    },
  };
}

export const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

export interface CreatedOrganization {
  organizationId: string;
  firstUserId: string;
  defaultWorkspaceId: string;
  adminToken: string;
}

export async function createOrganization(
  t: TestApp,
  options: { email?: string; catalog?: string[] } = {},
): Promise<CreatedOrganization> {
  const email = options.email ?? `admin-${Math.random().toString(36).slice(2)}@acme.test`;
  const response = await t.http
    .post('/v1/support/organizations')
    .set(bearer(SUPPORT_TOKEN))
    .send({
      name: 'Acme',
      catalog: options.catalog ?? ['checks.read', 'checks.write', 'truora.roles'],
      firstUser: { email },
    });
  if (response.status !== 201)
    throw new Error(`creating an organization failed: ${JSON.stringify(response.body)}`);
  return { ...response.body, adminToken: await t.tokenFor(email) };
}
