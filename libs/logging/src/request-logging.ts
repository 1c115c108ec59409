import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import { pinoHttp, type HttpLogger } from 'pino-http';
import { correlationIdOf, WELL_FORMED_ID } from '#libs/http';

/** `/v1/orgs/<orgId>/...` and support's `/v1/support/organizations/<orgId>/...`. */
const ORGANIZATION_PATH = /^\/v1\/(?:orgs|support\/organizations)\/([^/?#]+)/;

/** The caller's `X-Request-Id` when well-formed (a proxy's, say), else a new one. */
function requestIdOf(request: IncomingMessage): string {
  const given = request.headers['x-request-id'];
  return typeof given === 'string' && WELL_FORMED_ID.test(given) ? given : randomUUID();
}

/** The organization the route addresses, if any and if it is an id at all. */
export function organizationIdOf(url: string | undefined): string | undefined {
  const segment = ORGANIZATION_PATH.exec(url ?? '')?.[1];
  return segment !== undefined && WELL_FORMED_ID.test(segment) ? segment : undefined;
}

/** What the request line carries besides `reqId`: the ids to find its events and its tenant by. */
function idsOf(request: IncomingMessage): { correlationId: string; orgId?: string } {
  const orgId = organizationIdOf((request as { originalUrl?: string }).originalUrl ?? request.url);
  return { correlationId: correlationIdOf(request), ...(orgId !== undefined && { orgId }) };
}

/**
 * One line per request, when its response is finished: method, path, status, duration, and
 * the ids to follow it by — `reqId` (echoed as `X-Request-Id`), the `correlationId` its events
 * record (echoed as `X-Correlation-Id`) and the `orgId` of the route, added to the finished
 * line. Bodies are never logged: they hold secrets (an issued key's) and would make every line
 * as large as the request.
 */
export function requestLogging(logger: Logger): HttpLogger {
  return pinoHttp({
    logger,
    genReqId: (request: IncomingMessage, response: ServerResponse) => {
      const id = requestIdOf(request);
      response.setHeader('X-Request-Id', id);
      response.setHeader('X-Correlation-Id', correlationIdOf(request));
      return id;
    },
    // `req.log` binds only `reqId`: a child logger per request with more bindings cost more
    // than writing the whole request line did (ADR 27).
    quietReqLogger: true,
    customSuccessObject: (request, _response, line: object) => ({ ...line, ...idsOf(request) }),
    customErrorObject: (request, _response, _error, line: object) => ({
      ...line,
      ...idsOf(request),
    }),
    // 4xx are the client's mistakes, answered as designed (R38): only failures of ours are errors.
    customLogLevel: (_request, response, error) =>
      error || response.statusCode >= 500 ? 'error' : 'info',
    serializers: {
      req: (request: { method: string; url: string; headers: object; remoteAddress?: string }) => ({
        method: request.method,
        url: request.url,
        headers: request.headers,
        remoteAddress: request.remoteAddress,
      }),
      res: (response: { statusCode: number }) => ({ statusCode: response.statusCode }),
    },
  });
}
