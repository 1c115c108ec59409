import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  loadSettings,
  SettingsError,
  tracingRequested,
  withDevelopmentSecrets,
} from '#libs/config';

describe('settings', () => {
  it('defaults to the embedded development setup', () => {
    const settings = loadSettings({});
    expect(settings).toMatchObject({ environment: 'development', port: 3000, dataDir: './data' });
    expect(settings.eventStoreUrl).toBeUndefined();
    expect(settings.kafkaBrokers).toBeUndefined();
  });

  it('parses lists and refuses bad numbers naming the variable', () => {
    expect(loadSettings({ KAFKA_BROKERS: 'a:9092, b:9092' }).kafkaBrokers).toEqual([
      'a:9092',
      'b:9092',
    ]);
    expect(() => loadSettings({ PORT: 'eighty' })).toThrow(/PORT/);
  });

  it('snapshots are on every 1,000 events by default, and SNAPSHOTS / SNAPSHOT_EVERY are strict', () => {
    expect(loadSettings({}).snapshots).toEqual({ enabled: true, every: 1000 });
    expect(loadSettings({ SNAPSHOTS: 'off', SNAPSHOT_EVERY: '50' }).snapshots).toEqual({
      enabled: false,
      every: 50,
    });
    expect(() => loadSettings({ SNAPSHOTS: 'sometimes' })).toThrow(/SNAPSHOTS/);
    expect(() => loadSettings({ SNAPSHOT_EVERY: '0' })).toThrow(/SNAPSHOT_EVERY/);
  });

  it('LOG_LEVEL is info by default, one of pino levels, and strict', () => {
    expect(loadSettings({}).logLevel).toBe('info');
    expect(loadSettings({ LOG_LEVEL: 'DEBUG' }).logLevel).toBe('debug');
    expect(() => loadSettings({ LOG_LEVEL: 'loud' })).toThrow(/LOG_LEVEL/);
  });

  it('tracing is asked for by an OTEL_TRACES_EXPORTER or an OTLP endpoint, never by default', () => {
    expect(tracingRequested({})).toBe(false);
    expect(tracingRequested({ OTEL_SERVICE_NAME: 'access-ledger' })).toBe(false);
    expect(tracingRequested({ OTEL_TRACES_EXPORTER: 'none' })).toBe(false);
    expect(tracingRequested({ OTEL_TRACES_EXPORTER: 'console' })).toBe(true);
    expect(tracingRequested({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' })).toBe(true);
    expect(
      tracingRequested({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://collector:4318/v1/traces' }),
    ).toBe(true);
    expect(
      tracingRequested({
        OTEL_TRACES_EXPORTER: 'none',
        OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318',
      }),
    ).toBe(false);
    expect(tracingRequested({ OTEL_TRACES_EXPORTER: 'otlp', OTEL_SDK_DISABLED: 'true' })).toBe(
      false,
    );
  });

  it('S4 production refuses to start without support tokens or with short ones', () => {
    expect(() => loadSettings({ NODE_ENV: 'production', JWT_SECRET: 'x' })).toThrow(SettingsError);
    expect(() =>
      loadSettings({ NODE_ENV: 'production', JWT_SECRET: 'x', SUPPORT_TOKENS: 'short' }),
    ).toThrow(/32 characters/);
  });

  it('S4 development secrets are generated once, private, and reused', () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'al-config-'));
    const first = withDevelopmentSecrets(loadSettings({ DATA_DIR: dataDir }));
    const second = withDevelopmentSecrets(loadSettings({ DATA_DIR: dataDir }));
    expect(first.supportTokens).toEqual(second.supportTokens);
    expect(first.jwt.secret).toBe(second.jwt.secret);
    expect(first.jwt.secret!.length).toBeGreaterThanOrEqual(43);
    expect(statSync(join(dataDir, 'dev-secrets.json')).mode & 0o077).toBe(0);
  });
});
