import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { EVENTS_FILE, SqliteEventStore, type RecordedEvent } from '#libs/event-store';
import { createOrganization, organizationEvents, startTestApp } from '../support/test-app.js';
import { spawnStandalone, type SpawnedStandalone } from './spawned-standalone.js';

/** What R32 (and R37's idempotency claim) put in every event's metadata, before tracing. */
const METADATA_KEYS = ['actor', 'causationId', 'correlationId', 'organizationId', 'schemaVersion'];

async function eventsIn(dataDir: string): Promise<RecordedEvent[]> {
  const store = new SqliteEventStore(join(dataDir, EVENTS_FILE));
  const events: RecordedEvent[] = [];
  for await (const event of store.readAll()) events.push(event);
  await store.close();
  return events;
}

describe('trace context of commands', () => {
  let app: SpawnedStandalone | undefined;
  afterEach(async () => {
    await app?.stop();
    if (app) rmSync(app.dataDir, { recursive: true, force: true });
    app = undefined;
  });

  it('with OTEL_TRACES_EXPORTER set, requests get server spans and a command records its span as traceparent on its events', async () => {
    const supportToken = randomBytes(32).toString('base64url');
    app = await spawnStandalone({
      NODE_ENV: 'test',
      SUPPORT_TOKENS: supportToken,
      OTEL_TRACES_EXPORTER: 'console',
      OTEL_SERVICE_NAME: 'access-ledger-test',
      OTEL_BSP_SCHEDULE_DELAY: '50',
    });
    const traceId = randomBytes(16).toString('hex');
    const callerSpanId = randomBytes(8).toString('hex');
    const response = await fetch(`${app.baseUrl}/v1/support/organizations`, {
      method: 'POST',
      headers: {
        Authorization: `Bearer ${supportToken}`,
        'Content-Type': 'application/json',
        traceparent: `00-${traceId}-${callerSpanId}-01`,
        tracestate: 'vendor=opaque',
      },
      body: JSON.stringify({ name: 'Acme', firstUser: { email: 'ada@acme.test' } }),
    });
    expect(response.status).toBe(201);
    const { organizationId } = (await response.json()) as { organizationId: string };
    // The console exporter prints the server span, a child of the caller's.
    await app.waitForLine((line) => line.includes(`traceId: '${traceId}'`), 'the server span');
    await app.stop();

    const events = (await eventsIn(app.dataDir)).filter(
      (event) => event.metadata.organizationId === organizationId,
    );
    expect(events.length).toBeGreaterThan(0);
    for (const { metadata } of events) {
      const [, trace, span, flags] = metadata.traceparent!.split('-');
      expect({ trace, flags, tracestate: metadata.tracestate }).toEqual({
        trace: traceId,
        flags: '01',
        tracestate: 'vendor=opaque',
      });
      expect(span).toMatch(/^[0-9a-f]{16}$/);
      expect(span).not.toBe(callerSpanId);
      // The span the command ran in is the request's server span the exporter printed.
      expect(app.output()).toContain(`id: '${span}'`);
      expect(Object.keys(metadata).sort()).toEqual(
        [...METADATA_KEYS, 'traceparent', 'tracestate'].sort(),
      );
    }
  }, 60_000);

  it('without tracing, events carry no trace context and nothing else new', async () => {
    const t = await startTestApp();
    try {
      const org = await createOrganization(t);
      const events = await organizationEvents(t, org.organizationId);
      expect(events.length).toBeGreaterThan(0);
      for (const { metadata } of events) {
        expect(Object.keys(metadata).sort()).toEqual(METADATA_KEYS);
      }
    } finally {
      await t.close();
    }
  });
});
