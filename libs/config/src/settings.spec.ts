import { execSync } from 'node:child_process';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  GENERATE_SECRET_COMMAND,
  loadSettings,
  PLACEHOLDER_MARKERS,
  SettingsError,
  tracingRequested,
  withDevelopmentSecrets,
} from '#libs/config';

/** A production-grade secret for the tests that are about something else. */
const REAL = 'aV3ryR4ndomL00kingS3cretOfForty-Three-Chars';

/** The message loadSettings refuses `env` with. */
function settingsError(env: Record<string, string>): string {
  try {
    loadSettings(env);
  } catch (error) {
    expect(error).toBeInstanceOf(SettingsError);
    return (error as Error).message;
  }
  throw new Error('loadSettings accepted it');
}

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
    expect(() => loadSettings({ NODE_ENV: 'production', JWT_SECRET: REAL })).toThrow(SettingsError);
    expect(() =>
      loadSettings({ NODE_ENV: 'production', JWT_SECRET: REAL, SUPPORT_TOKENS: 'short' }),
    ).toThrow(/^SUPPORT_TOKENS must be at least 32 characters/);
    expect(() =>
      loadSettings({ NODE_ENV: 'production', JWT_SECRET: 'short', SUPPORT_TOKENS: REAL }),
    ).toThrow(/^JWT_SECRET must be at least 32 characters/);
  });

  describe('S4 production refuses placeholder secrets', () => {
    // The values docker-compose.yml used to default to, and the usual stand-ins.
    const placeholders = [
      'compose-only-jwt-secret-change-me-0123456789',
      'compose-only-support-token-change-me-0123456789',
      'my-very-long-secret-CHANGEME-please-0123456789',
      'replace-me-with-a-real-token-0123456789abcdef',
    ];
    const production = { NODE_ENV: 'production', JWT_SECRET: REAL, SUPPORT_TOKENS: REAL };

    it.each(['JWT_SECRET', 'SUPPORT_TOKENS', 'AUDITOR_TOKENS'])(
      'S4 a placeholder in %s: refused, naming the variable and how to generate a value, never quoting it',
      (name) => {
        for (const placeholder of placeholders) {
          const refusal = settingsError({ ...production, [name]: placeholder });
          expect(refusal).toMatch(new RegExp(`^${name} is a placeholder`));
          expect(refusal).toContain(GENERATE_SECRET_COMMAND);
          expect(refusal).not.toContain(placeholder);
        }
      },
    );

    it('S4 one placeholder among several tokens is enough to refuse', () => {
      expect(
        settingsError({ ...production, AUDITOR_TOKENS: `${REAL}-2,${placeholders[1]}` }),
      ).toMatch(/^AUDITOR_TOKENS is a placeholder/);
    });

    it('S4 generated values start; development and test keep accepting anything', () => {
      const generated = () => execSync(GENERATE_SECRET_COMMAND, { encoding: 'utf8' }).trim();
      expect(generated()).toMatch(/^[\w-]{43}$/);
      expect(
        loadSettings({
          NODE_ENV: 'production',
          JWT_SECRET: generated(),
          SUPPORT_TOKENS: generated(),
          AUDITOR_TOKENS: generated(),
        }).environment,
      ).toBe('production');
      for (const NODE_ENV of ['development', 'test']) {
        expect(loadSettings({ NODE_ENV, JWT_SECRET: placeholders[0] }).jwt.secret).toBe(
          placeholders[0],
        );
      }
    });

    it('S4 docker-compose.yml ships no secret: each is required from the environment or .env', () => {
      const compose = readFileSync(join(process.cwd(), 'docker-compose.yml'), 'utf8');
      for (const name of ['JWT_SECRET', 'SUPPORT_TOKENS', 'AUDITOR_TOKENS']) {
        const line = compose.split('\n').find((l) => l.trim().startsWith(`${name}:`));
        expect(line?.trim()).toMatch(new RegExp(`^${name}: \\$\\{${name}:\\?.+\\}$`));
      }
      for (const marker of PLACEHOLDER_MARKERS) expect(compose).not.toContain(`-${marker}-`);
    });
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
