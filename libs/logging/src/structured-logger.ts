import { createRequire } from 'node:module';
import { pino, type DestinationStream, type Logger } from 'pino';
import type { LogLevelName, Settings } from '#libs/config';
import { REDACTED, redactSecrets, SECRET_FIELD_NAMES } from '#libs/http';

/**
 * Censored by name (S2): a request's credentials, should a log call pass its headers (the
 * request line logs none), and a field named in the one list of secret field names the error
 * bodies use too, where a log call puts it (the top level).
 * Explicit paths only: pino's wildcard paths (`*.secret`) walked every object of every line
 * and cost more than the rest of the request line together (ADR 27).
 */
export const REDACTED_PATHS: string[] = [
  'req.headers.authorization',
  'req.headers.cookie',
  ...SECRET_FIELD_NAMES,
];

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
    standardOutput();
  return pino(
    {
      level,
      redact: { paths: REDACTED_PATHS, censor: REDACTED },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
    },
    redactingDestination(target),
  );
}

let stdout: DestinationStream | undefined;

/**
 * One stdout stream per process, however many apps it creates (the tests make many).
 * Asynchronous: a synchronous write per line cost ~50 µs of a request's CPU when stdout is a
 * pipe; lines written while one write is under way go out together, in order, and pino
 * flushes what is left synchronously when the process exits (ADR 27).
 */
function standardOutput(): DestinationStream {
  return (stdout ??= pino.destination({ dest: 1, sync: false }));
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
    return pretty({
      colorize: true,
      singleLine: true,
      translateTime: 'SYS:HH:MM:ss.l',
      ignore: 'pid,hostname,context',
      messageFormat: '{if context}[{context}] {end}{msg}',
    });
  } catch {
    return undefined;
  }
}
