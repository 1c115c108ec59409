import { Module, type INestApplication, type LogLevel } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Authenticator, type ApiKeyVerifier } from '#libs/auth';
import type { Settings } from '#libs/config';
import { configureHttpApp, HTTP_APP_OPTIONS, HttpCoreModule } from '#libs/http';
import { createStructuredLogger, levelOfNestLevels, useStructuredLogs } from '#libs/logging';
import { CommandServiceModule } from './command-service.module.js';
import type { Stores } from './infrastructure/stores.js';

@Module({})
class CommandServiceApp {}

/** The command service as a Nest app of its own, with its OpenAPI document at /docs. */
export async function createCommandServiceApp(
  settings: Settings,
  stores: Stores,
  logger?: LogLevel[] | false,
  verifyApiKey?: ApiKeyVerifier,
): Promise<INestApplication> {
  const logs = createStructuredLogger(settings, {
    level: logger === undefined ? undefined : levelOfNestLevels(logger),
  });
  const app = await NestFactory.create(
    {
      module: CommandServiceApp,
      imports: [
        HttpCoreModule.forRoot(new Authenticator(settings, verifyApiKey)),
        CommandServiceModule.forRoot(settings, stores),
      ],
    },
    { ...HTTP_APP_OPTIONS, bufferLogs: true },
  );
  return configureHttpApp(useStructuredLogs(app, logs));
}
