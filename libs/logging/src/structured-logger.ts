import { createRequire } from 'node:module';
import { pino, type DestinationStream, type Logger } from 'pino';
import type { LogLevelName, Settings } from '#libs/config';
import { REDACTED, redactSecrets, SECRET_FIELD_NAMES } from '#libs/http';

/**
 * Censored wherever they sit up to two levels down (`req.headers.authorization`,
 * `err.details.secret`, ...): the names come from the one list the error bodies use too (S2).
 */
export const REDACTED_PATHS: string[] = SECRET_FIELD_NAMES.flatMap((name) => [
  name,
  `*.${name}`,
  `*.*.${name}`,
]);

export interface StructuredLoggerOptions {
  /** Overrides LOG_LEVEL (the test harness and benchmarks ask for `silent`). */
  level?: LogLevelName;
  /** Where the lines go instead of stdout (tests read them). */
  destination?: DestinationStream;
}

/**
 * The process's root pino logger: one JSON object a line on stdout, or pino-pretty's coloured
 * lines in development only. Fields named as secrets are censored by name; anything shaped like
 * a JWT or an API-key secret is replaced in the finished line, whichever field it travelled
 * in (a URL, a quoted header, an error message), so S2 does not rest on every call site.
 */
export function createStructuredLogger(
  settings: Pick<Settings, 'environment' | 'logLevel'>,
  { level = settings.logLevel, destination }: StructuredLoggerOptions = {},
): Logger {
  const target =
    destination ??
    (settings.environment === 'development' ? prettyStream() : undefined) ??
    pino.destination({ dest: 1, sync: true });
  return pino(
    {
      level,
      redact: { paths: REDACTED_PATHS, censor: REDACTED },
      // No pid/hostname on every line: the platform that collects the lines knows them.
      base: undefined,
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
    },
    redactingDestination(target),
  );
}

/** Each finished line, with anything shaped like a secret replaced, written on to `target`. */
function redactingDestination(target: DestinationStream): DestinationStream {
  return { write: (line: string) => target.write(redactSecrets(line)) };
}

/** pino-pretty when installed (a development dependency: absent from the production image). */
function prettyStream(): DestinationStream | undefined {
  try {
    const pretty = createRequire(import.meta.url)('pino-pretty') as (
      options: object,
    ) => DestinationStream;
    return pretty({ colorize: true, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname' });
  } catch {
    return undefined;
  }
}
