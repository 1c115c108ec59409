import { GENERATE_SECRET_COMMAND, placeholderMarkerOf } from './placeholder-secrets.js';

/**
 * Every setting of Access Ledger, read from the environment in this one place
 * (no `process.env` elsewhere; eslint.config.js enforces it). Parsing is strict: a bad value stops
 * the process at start with a message naming the variable, rather than misbehaving later.
 */
export type Environment = 'development' | 'test' | 'production';

export interface JwtSettings {
  /** HS256 shared secret (development). */
  secret?: string;
  /** JWKS URL (production). Takes precedence over `secret`. */
  jwksUrl?: string;
  issuer: string;
  audience: string;
}

export interface Settings {
  environment: Environment;
  host: string;
  port: number;
  /** Where the embedded default keeps its SQLite files. */
  dataDir: string;
  /** Set: the apps use EventStoreDB instead of the embedded SQLite store. */
  eventStoreUrl?: string;
  mongoUrl?: string;
  kafkaBrokers?: string[];
  jwt: JwtSettings;
  /** Bearer tokens that authenticate support operators and auditors (S4). */
  supportTokens: string[];
  auditorTokens: string[];
  /** Re-decisions after an optimistic-concurrency conflict before giving up (R36). */
  commandRetries: number;
  /** How long an Idempotency-Key is remembered (R37). */
  idempotencyTtlSeconds: number;
  /** Snapshots of folded organizations (ADR 19). */
  snapshots: SnapshotSettings;
  /** The least severe log records written (LOG_LEVEL, pino's names). */
  logLevel: LogLevelName;
}

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevelName = (typeof LOG_LEVELS)[number];

export interface SnapshotSettings {
  /** SNAPSHOTS=off folds every cold aggregate and history read from the first event. */
  enabled: boolean;
  /** A snapshot after every this many events folded past the last one (SNAPSHOT_EVERY). */
  every: number;
}

export class SettingsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SettingsError';
  }
}

type Env = Record<string, string | undefined>;

/** Production secrets are at least this long: a guessable one is no secret (S4). */
const MIN_SECRET_LENGTH = 32;

export function loadSettings(env: Env = process.env): Settings {
  const environment = parseEnvironment(env.NODE_ENV);
  const settings: Settings = {
    environment,
    host: env.HOST ?? '0.0.0.0',
    port: parseInteger(env, 'PORT', 3000, 0, 65535),
    dataDir: env.DATA_DIR ?? './data',
    eventStoreUrl: nonEmpty(env.EVENTSTORE_URL),
    mongoUrl: nonEmpty(env.MONGO_URL),
    kafkaBrokers: parseList(env.KAFKA_BROKERS),
    jwt: {
      secret: nonEmpty(env.JWT_SECRET),
      jwksUrl: nonEmpty(env.JWT_JWKS_URL),
      issuer: env.JWT_ISSUER ?? 'access-ledger-dev',
      audience: env.JWT_AUDIENCE ?? 'access-ledger',
    },
    supportTokens: parseList(env.SUPPORT_TOKENS) ?? [],
    auditorTokens: parseList(env.AUDITOR_TOKENS) ?? [],
    commandRetries: parseInteger(env, 'COMMAND_RETRIES', 5, 0, 100),
    idempotencyTtlSeconds: parseInteger(env, 'IDEMPOTENCY_TTL_SECONDS', 86_400, 1, 31_536_000),
    snapshots: {
      enabled: parseSwitch(env, 'SNAPSHOTS', true),
      // ADR 19: folding 1,000 events costs a few ms, about what decoding a large snapshot does.
      every: parseInteger(env, 'SNAPSHOT_EVERY', 1000, 1, 10_000_000),
    },
    logLevel: parseLogLevel(env.LOG_LEVEL),
  };
  if (environment === 'production') requireProductionSecrets(settings);
  return settings;
}

function requireProductionSecrets(settings: Settings): void {
  if (!settings.jwt.jwksUrl && !settings.jwt.secret) {
    throw new SettingsError('Set JWT_JWKS_URL (or JWT_SECRET) when NODE_ENV=production.');
  }
  if (settings.supportTokens.length === 0) {
    throw new SettingsError('Set SUPPORT_TOKENS (comma-separated) when NODE_ENV=production.');
  }
  const secrets: [name: string, values: string[]][] = [
    ['JWT_SECRET', settings.jwt.secret ? [settings.jwt.secret] : []],
    ['SUPPORT_TOKENS', settings.supportTokens],
    ['AUDITOR_TOKENS', settings.auditorTokens],
  ];
  for (const [name, values] of secrets) {
    // The message names the variable and the marker, never the value: it is a secret.
    const marker = values.map(placeholderMarkerOf).find((found) => found !== undefined);
    if (marker !== undefined) {
      throw new SettingsError(
        `${name} is a placeholder (it contains "${marker}"), not a secret, and NODE_ENV=production refuses it. ` +
          `Generate a real value with \`${GENERATE_SECRET_COMMAND}\` and set ${name} in the environment (or .env).`,
      );
    }
    if (values.some((value) => value.length < MIN_SECRET_LENGTH)) {
      throw new SettingsError(
        `${name} must be at least ${MIN_SECRET_LENGTH} characters when NODE_ENV=production. ` +
          `Generate a value with \`${GENERATE_SECRET_COMMAND}\`.`,
      );
    }
  }
}

function parseEnvironment(value: string | undefined): Environment {
  if (value === undefined || value === '' || value === 'development') return 'development';
  if (value === 'test' || value === 'production') return value;
  throw new SettingsError(`NODE_ENV must be development, test or production, not "${value}".`);
}

function parseLogLevel(value: string | undefined): LogLevelName {
  const level = value?.trim().toLowerCase();
  if (level === undefined || level === '') return 'info';
  if ((LOG_LEVELS as readonly string[]).includes(level)) return level as LogLevelName;
  throw new SettingsError(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}, not "${value}".`);
}

/**
 * Whether the standard OTEL_* variables ask for traces: an exporter other than `none`, or an
 * OTLP endpoint, and no OTEL_SDK_DISABLED=true. Read before anything else is loaded (the SDK
 * must patch http first), so it stands apart from loadSettings; the SDK reads the rest of
 * OTEL_* itself. Without them nothing is started and nothing costs.
 */
export function tracingRequested(env: Env = process.env): boolean {
  if (env.OTEL_SDK_DISABLED?.trim().toLowerCase() === 'true') return false;
  const exporters = (parseList(env.OTEL_TRACES_EXPORTER) ?? []).filter((name) => name !== 'none');
  if (exporters.length > 0) return true;
  if (parseList(env.OTEL_TRACES_EXPORTER)?.includes('none')) return false;
  return Boolean(
    nonEmpty(env.OTEL_EXPORTER_OTLP_ENDPOINT) ?? nonEmpty(env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT),
  );
}

function parseInteger(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new SettingsError(`${name} must be an integer from ${min} to ${max}, not "${raw}".`);
  }
  return value;
}

function parseSwitch(env: Env, name: string, fallback: boolean): boolean {
  const raw = env[name]?.trim().toLowerCase();
  if (raw === undefined || raw === '') return fallback;
  if (['on', 'true', '1'].includes(raw)) return true;
  if (['off', 'false', '0'].includes(raw)) return false;
  throw new SettingsError(`${name} must be on or off, not "${env[name]}".`);
}

function parseList(value: string | undefined): string[] | undefined {
  const items = (value ?? '')
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);
  return items.length > 0 ? items : undefined;
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}
