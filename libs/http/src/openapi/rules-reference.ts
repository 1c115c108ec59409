import { readFileSync } from 'node:fs';
import type { INestApplication } from '@nestjs/common';
import type { Request, Response } from 'express';
import { RULES_REFERENCE_PATH } from './complete-document.js';

/** docs/rules.md, found from this module's place in the source tree and in dist/ alike. */
const RULES_FILE = new URL(
  import.meta.url.includes('/dist/') ? '../../../../../docs/rules.md' : '../../../../docs/rules.md',
  import.meta.url,
);

/**
 * Serves the rules reference beside the API documentation, so the rule ids the OpenAPI
 * summaries cite lead somewhere from a running service, as they do in the repository.
 */
export function serveRulesReference(app: INestApplication): void {
  const text = readRules();
  app.getHttpAdapter().get(RULES_REFERENCE_PATH, (_request: Request, response: Response) => {
    response.setHeader('Content-Type', 'text/markdown; charset=utf-8');
    response.end(text);
  });
}

function readRules(): string {
  try {
    return readFileSync(RULES_FILE, 'utf8');
  } catch {
    return '# Access Ledger rules\n\nThis build was shipped without docs/rules.md; read it in the repository.\n';
  }
}
