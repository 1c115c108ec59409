import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Settings } from './settings.js';

/**
 * In development, a fresh machine has no secrets configured. Rather than ship well-known
 * default secrets, the first start generates random ones into the data directory (mode 0600)
 * and later starts, and the token CLI, read them back. Values set in the environment win.
 * Never used when NODE_ENV=production.
 */
export interface DevelopmentSecrets {
  jwtSecret: string;
  supportToken: string;
  auditorToken: string;
}

export const DEVELOPMENT_SECRETS_FILE = 'dev-secrets.json';

export function loadOrCreateDevelopmentSecrets(dataDir: string): DevelopmentSecrets {
  const file = join(dataDir, DEVELOPMENT_SECRETS_FILE);
  if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')) as DevelopmentSecrets;
  mkdirSync(dataDir, { recursive: true });
  const secrets: DevelopmentSecrets = {
    jwtSecret: randomToken(),
    supportToken: `dev-support-${randomToken()}`,
    auditorToken: `dev-auditor-${randomToken()}`,
  };
  writeFileSync(file, JSON.stringify(secrets, null, 2), { mode: 0o600 });
  return secrets;
}

/** Settings with development secrets filled in where the environment left them unset. */
export function withDevelopmentSecrets(settings: Settings): Settings {
  if (settings.environment === 'production') return settings;
  const secrets = loadOrCreateDevelopmentSecrets(settings.dataDir);
  return {
    ...settings,
    jwt: { ...settings.jwt, secret: settings.jwt.secret ?? secrets.jwtSecret },
    supportTokens: settings.supportTokens.length ? settings.supportTokens : [secrets.supportToken],
    auditorTokens: settings.auditorTokens.length ? settings.auditorTokens : [secrets.auditorToken],
  };
}

function randomToken(): string {
  return randomBytes(32).toString('base64url');
}
