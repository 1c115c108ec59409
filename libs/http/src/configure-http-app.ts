import type { INestApplication } from '@nestjs/common';
import type { Express } from 'express';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import { jsonBody } from './json-body.js';
import { installJsonResponses } from './json-response.js';
import { completeDocument, RULES_REFERENCE_PATH, serveRulesReference } from './openapi/index.js';

/**
 * What Nest's app factory is given for every HTTP app: its own body parsers are off, as
 * configureHttpApp installs the one parser every route is written for (R38).
 */
export const HTTP_APP_OPTIONS = { bodyParser: false } as const;

/**
 * The JSON body parser, the JSON response serialiser (json-response.ts), shutdown hooks and the OpenAPI document at /docs (UI) and /docs-json,
 * for every HTTP app. Call it before the app is initialised, so the parser runs first.
 */
export function configureHttpApp(app: INestApplication, title = 'Access Ledger'): INestApplication {
  app.use(jsonBody());
  installJsonResponses(app.getHttpAdapter().getInstance() as Express);
  // SIGTERM/SIGINT close the app (every hook, the stores last), then exit 0 (ADR 25).
  app.enableShutdownHooks([], { useProcessExit: true });
  serveRulesReference(app);
  const document = buildOpenApiDocument(app, title);
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json' });
  servedDocuments.set(app, document);
  return app;
}

/** The OpenAPI document the app serves at /docs-json. */
function buildOpenApiDocument(app: INestApplication, title = 'Access Ledger'): OpenAPIObject {
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle(title)
      .setDescription(
        'Event-sourced access control. Every command answers the global `position` of its last event; pass it as `minPosition` to read your write (R35). ' +
          'Send `Idempotency-Key` to make a command safe to retry (R37). ' +
          'Every refusal is an `Error` `{ statusCode, code, message, details? }` whose `code` is stable (R38). ' +
          `Rule ids (R1…R42, S1…S5) refer to the rules reference, served at [${RULES_REFERENCE_PATH}](${RULES_REFERENCE_PATH}) (docs/rules.md in the repository).`,
      )
      .setVersion('1')
      .addBearerAuth()
      .build(),
  );
  return completeDocument(document);
}

/** What each app serves at /docs-json, so tools/openapi-client can read it without listening. */
const servedDocuments = new WeakMap<INestApplication, OpenAPIObject>();

export function servedOpenApiDocument(app: INestApplication): OpenAPIObject {
  const document = servedDocuments.get(app);
  if (!document)
    throw new Error('servedOpenApiDocument: configureHttpApp was not called on this app');
  return document;
}
