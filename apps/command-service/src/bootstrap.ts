import { NestFactory } from '@nestjs/core';
import type { INestApplication, LogLevel } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import type { Settings } from '#libs/config';
import { CommandServiceModule } from './command-service.module.js';
import type { Stores } from './infrastructure/stores.js';

/** The command service as a Nest app, with its OpenAPI document at /docs and /docs-json. */
export async function createCommandServiceApp(
  settings: Settings,
  stores: Stores,
  logger: LogLevel[] | false = ['log', 'warn', 'error'],
): Promise<INestApplication> {
  const app = await NestFactory.create(CommandServiceModule.forRoot(settings, stores), { logger });
  app.enableShutdownHooks();
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Access Ledger')
      .setDescription(
        'Event-sourced access control. Every command response carries the global `position` of its last event (R35). ' +
          'Errors: `{ statusCode, code, message, details? }` (R38). Send `Idempotency-Key` to make a command safe to retry (R37).',
      )
      .setVersion('1')
      .addBearerAuth()
      .build(),
  );
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json' });
  return app;
}
