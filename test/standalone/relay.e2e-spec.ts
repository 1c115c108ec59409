import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import { Registry } from 'prom-client';
import request from 'supertest';
import { loadSettings } from '#libs/config';
import { InMemoryPublisher } from '../../apps/publisher/src/in-memory-publisher.js';
import type { PublishingOptions } from '../../apps/standalone/src/publisher-lifecycle.js';
import { createStandaloneApp } from '../../apps/standalone/src/standalone.js';
import { bearer, SUPPORT_TOKEN } from '../support/test-app.js';

/** The standalone app with Kafka on (KAFKA_BROKERS set), publishing to `publishing.broker`. */
async function startStandalone(dataDir: string, publishing: PublishingOptions = {}) {
  const settings = loadSettings({
    NODE_ENV: 'test',
    DATA_DIR: dataDir,
    JWT_SECRET: 'jwt-secret-for-tests-0123456789abcdef',
    SUPPORT_TOKENS: SUPPORT_TOKEN,
    ...(publishing.broker ? { KAFKA_BROKERS: 'broker.invalid:9092' } : {}),
  });
  const { app } = await createStandaloneApp(settings, false, { publishing });
  await app.init();
  return { app, http: request(app.getHttpServer()) };
}

const createOrganization = (http: ReturnType<typeof request>) =>
  http
    .post('/v1/support/organizations')
    .set(bearer(SUPPORT_TOKEN))
    .send({ name: 'Acme', catalog: [], firstUser: { email: 'admin@acme.test' } })
    .expect(201);

/** The value of an unlabelled series in a Prometheus text page. */
function sample(page: string, name: string): number | undefined {
  const line = new RegExp(`^${name} (\\S+)$`, 'm').exec(page);
  return line ? Number(line[1]) : undefined;
}

async function eventually(condition: () => Promise<boolean>): Promise<void> {
  for (let attempt = 0; !(await condition()); attempt++) {
    if (attempt > 1_000) throw new Error('Condition not met after 1,000 attempts.');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('the relay in the standalone app (ADR 26)', () => {
  let dataDir: string;
  let app: INestApplication | undefined;
  beforeEach(() => (dataDir = mkdtempSync(join(tmpdir(), 'standalone-relay-'))));
  afterEach(async () => {
    await app?.close();
    app = undefined;
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('readiness fails with the reason while the broker acknowledges nothing, and recovers when it publishes again; liveness stays up', async () => {
    const broker = new InMemoryPublisher();
    // A bound of 0: unready from the first failed attempt, so the test waits on no clock.
    const started = await startStandalone(dataDir, { broker, stallMs: 0 });
    app = started.app;
    const { http } = started;
    await http.get('/health/ready').expect(200);

    broker.failNext(Number.POSITIVE_INFINITY);
    await createOrganization(http);
    await eventually(async () => (await http.get('/health/ready')).status === 503);
    const unready = await http.get('/health/ready').expect(503);
    expect(unready.body.code).toBe('NOT_READY');
    expect(unready.body.details.publisher).toMatch(
      /^the broker has acknowledged nothing for \d+ s, \d+ events waiting \(The in-memory broker is down \(simulated outage\)\.\); check KAFKA_BROKERS/,
    );
    await http.get('/health/live').expect(200);
    const failing = (await http.get('/metrics').expect(200)).text;
    expect(sample(failing, 'access_ledger_publisher_up')).toBe(1);
    expect(sample(failing, 'access_ledger_publish_failures_total')).toBeGreaterThanOrEqual(1);
    expect(sample(failing, 'access_ledger_publish_pending_events')).toBeGreaterThan(0);
    expect(sample(failing, 'access_ledger_published_events_total')).toBe(0);
    expect(broker.records).toEqual([]);

    broker.failNext(0);
    await eventually(async () => (await http.get('/health/ready')).status === 200);
    const recovered = (await http.get('/metrics').expect(200)).text;
    expect(sample(recovered, 'access_ledger_published_events_total')).toBe(broker.records.length);
    expect(broker.records.length).toBeGreaterThan(0);
    expect(sample(recovered, 'access_ledger_publish_lag_positions')).toBe(0);
    expect(sample(recovered, 'access_ledger_publish_pending_events')).toBe(0);
  });

  it("/metrics shows the publisher's series beside the command side's and the process's", async () => {
    const started = await startStandalone(dataDir, { broker: new InMemoryPublisher() });
    app = started.app;
    await createOrganization(started.http);
    const metrics = await started.http.get('/metrics').expect(200);
    expect(metrics.headers['content-type']).toBe(Registry.PROMETHEUS_CONTENT_TYPE);
    for (const name of [
      'access_ledger_publish_lag_positions',
      'access_ledger_publish_pending_events',
      'access_ledger_published_events_total',
      'access_ledger_publish_failures_total',
      'access_ledger_publisher_up',
      'access_ledger_projection_lag_positions',
      'access_ledger_projector_up',
      'process_cpu_seconds_total',
      'nodejs_eventloop_lag_seconds',
      'nodejs_heap_size_used_bytes',
    ]) {
      expect(sample(metrics.text, name)).toBeGreaterThanOrEqual(0);
    }
    expect(metrics.text).toMatch(/^# TYPE access_ledger_published_events_total counter$/m);
    expect(metrics.text).toMatch(/^# TYPE nodejs_gc_duration_seconds histogram$/m);
    expect(metrics.text).toMatch(
      /^access_ledger_command_duration_seconds_count\{outcome="appended"\} 1$/m,
    );
  });

  it('apps created in one process each have their own registry: one sees none of the other’s series', async () => {
    const first = await startStandalone(dataDir);
    app = first.app;
    const secondDir = mkdtempSync(join(tmpdir(), 'standalone-relay-'));
    const second = await startStandalone(secondDir);
    try {
      await createOrganization(first.http);
      await createOrganization(first.http);
      const own = (await first.http.get('/metrics').expect(200)).text;
      const other = (await second.http.get('/metrics').expect(200)).text;
      expect(own).toMatch(
        /^access_ledger_command_duration_seconds_count\{outcome="appended"\} 2$/m,
      );
      expect(other).not.toMatch(/^access_ledger_command_duration_seconds_count/m);
      // Kafka is off in both: no publisher series.
      expect(own).not.toMatch(/access_ledger_publish/);
      // The process's series are the process's, shown by both.
      expect(sample(other, 'process_cpu_seconds_total')).toBeGreaterThan(0);
    } finally {
      await second.app.close();
      rmSync(secondDir, { recursive: true, force: true });
    }
  });
});
