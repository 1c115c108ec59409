import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';

/** Shutdown hooks and the OpenAPI document at /docs (UI) and /docs-json, for every HTTP app. */
export function configureHttpApp(app: INestApplication, title = 'Access Ledger'): INestApplication {
  app.enableShutdownHooks();
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle(title)
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
