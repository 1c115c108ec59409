import type { INestApplication, INestApplicationContext, LoggerService } from '@nestjs/common';
import { Logger as NestLogger, type LogLevel } from '@nestjs/common';
import { Logger, PinoLogger } from 'nestjs-pino';
import type { Logger as Pino } from 'pino';
import type { LogLevelName } from '#libs/config';
import { requestLogging } from './request-logging.js';

/**
 * Routes Nest's Logger (and every `new Logger(context)`) to pino and, for an HTTP app, logs
 * each request. Call it before configureHttpApp, so the request log is the first middleware.
 */
export function useStructuredLogs<App extends INestApplicationContext>(
  app: App,
  logger: Pino,
): App {
  app.useLogger(nestLoggerOver(logger));
  if ('use' in app) (app as unknown as INestApplication).use(requestLogging(logger));
  return app;
}

/** For a process without a Nest app (the publisher): Nest's static Logger writes through pino. */
export function routeNestLoggerTo(logger: Pino): void {
  NestLogger.overrideLogger(nestLoggerOver(logger));
}

/**
 * nestjs-pino's LoggerService over the root logger, without its LoggerModule: that module binds
 * each request's logger in an AsyncLocalStorage, which taxes every promise of every request
 * (ADR 27); the request line carries the ids instead.
 */
function nestLoggerOver(logger: Pino): LoggerService {
  return new Logger(new PinoLogger({ pinoHttp: { logger } }), {});
}

/** pino's threshold for a list of Nest log levels (`false`: nothing), as the apps were given. */
export function levelOfNestLevels(levels: LogLevel[] | false): LogLevelName {
  if (levels === false || levels.length === 0) return 'silent';
  const order: [LogLevel, LogLevelName][] = [
    ['verbose', 'trace'],
    ['debug', 'debug'],
    ['log', 'info'],
    ['warn', 'warn'],
    ['error', 'error'],
    ['fatal', 'fatal'],
  ];
  return order.find(([nest]) => levels.includes(nest))?.[1] ?? 'info';
}
