import type { OpenAPIObject, OperationObject, ParameterObject } from '@nestjs/swagger';
import { ERROR, REFUSALS, type RefusalStatus } from './answers.js';
import { withNamedSchemas } from './named-schemas.js';
import { WELL_FORMED_ID } from '../request-context.decorator.js';

/** Where a running service serves its rules reference, docs/rules.md of the repository. */
export const RULES_REFERENCE_PATH = '/docs/rules.md';

const METHODS = ['get', 'put', 'post', 'delete', 'patch'] as const;

const CORRELATION_ID: ParameterObject = {
  name: 'X-Correlation-Id',
  in: 'header',
  required: false,
  description:
    'Carried into the metadata of every event the request appends and echoed in the answer; a new one is made when absent or not 1–128 of `A-Z a-z 0-9 . _ : -`',
  schema: { type: 'string', pattern: WELL_FORMED_ID.source },
};

const REQUEST_ID: ParameterObject = {
  name: 'X-Request-Id',
  in: 'header',
  required: false,
  description:
    "The request's id on its log line (a proxy's, say), echoed in the answer; a new one is made when absent or not 1–128 of `A-Z a-z 0-9 . _ : -`",
  schema: { type: 'string', pattern: WELL_FORMED_ID.source },
};

/**
 * The document as served: the named schemas its operations use, and what every operation of a
 * kind shares, written here once rather than on each controller method — 401 on a secured
 * operation; 400, 413 and 415 on all, as the one body parser runs before any route and judges
 * the query string and whatever body a request carries (json-body.ts); the correlation and
 * request id headers on the API's own routes — and each rule id of a summary linked to the rules reference.
 */
export function completeDocument(document: OpenAPIObject): OpenAPIObject {
  const complete = withNamedSchemas(document);
  for (const [path, item] of Object.entries(complete.paths)) {
    for (const method of METHODS) {
      const operation = item[method];
      if (operation === undefined) continue;
      if ((operation.security ?? []).length > 0) refuse(operation, 401);
      for (const status of [400, 413, 415] as const) refuse(operation, status);
      if (path.startsWith('/v1/support/')) operation.responses[403] = SUPPORT_ONLY;
      if (path.startsWith('/v1/')) {
        operation.parameters = [...(operation.parameters ?? []), CORRELATION_ID, REQUEST_ID];
      }
      linkRules(operation);
    }
  }
  return complete;
}

/** The guard refuses everyone but Support and auditors on these routes (support-routes.ts). */
const SUPPORT_ONLY = {
  description:
    '`SUPPORT_ONLY`: for Support operators (a support token) only, before anything is looked up; auditors may read, and a write by one is `READ_ONLY_ACTOR`',
  content: { 'application/json': { schema: ERROR } },
};

function refuse(operation: OperationObject, status: RefusalStatus): void {
  if (operation.responses[status] !== undefined) return;
  operation.responses[status] = {
    description: REFUSALS[status],
    content: { 'application/json': { schema: ERROR } },
  };
}

const RULE_ID = /\b([RS]\d{1,2})\b/g;

/** "Create a custom role (R3, R5)" gains a description linking R3 and R5 to their entries. */
function linkRules(operation: OperationObject): void {
  const ids = [...new Set((operation.summary ?? '').match(RULE_ID) ?? [])];
  if (ids.length === 0) return;
  const links = ids.map((id) => `[${id}](${RULES_REFERENCE_PATH}#${id.toLowerCase()})`);
  const rules = `Rules: ${links.join(', ')} (docs/rules.md).`;
  operation.description = operation.description ? `${operation.description}\n\n${rules}` : rules;
}
