import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
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

type Request = IncomingMessage & { originalUrl?: string };
/** The exception filter leaves an unexpected failure here, for the request's line (a 500). */
type Response = ServerResponse & { err?: unknown };

/**
 * One line per request, when its response is finished or the client left: method, path,
 * status, duration, and the ids to follow it by — `reqId` (echoed as `X-Request-Id`), the
 * `correlationId` its events record (echoed as `X-Correlation-Id`) and the `orgId` of the
 * route. Neither bodies nor headers are logged: they carry credentials and secrets (S2).
 *
 * Written here rather than with pino-http: on the members page, pino-http's child logger per
 * request, its request serialiser and the redaction of the headers it logs cost some 70 µs of
 * CPU a request, a tenth of the read (ADR 27); this line costs a few.
 */
export function requestLogging(logger: Logger) {
  return (request: Request, response: Response, next: () => void): void => {
    const started = performance.now();
    const reqId = requestIdOf(request);
    const correlationId = correlationIdOf(request);
    response.setHeader('X-Request-Id', reqId);
    response.setHeader('X-Correlation-Id', correlationId);
    let logged = false;
    const line = () => {
      if (logged) return;
      logged = true;
      const failure = response.err;
      const failed = failure !== undefined || response.statusCode >= 500;
      // 4xx are the client's mistakes, answered as designed (R38): only failures of ours are errors.
      if (!logger.isLevelEnabled(failed ? 'error' : 'info')) return;
      const url = request.originalUrl ?? request.url;
      const orgId = organizationIdOf(url);
      const fields = {
        reqId,
        correlationId,
        ...(orgId !== undefined && { orgId }),
        req: { method: request.method, url, remoteAddress: request.socket.remoteAddress },
        res: { statusCode: response.statusCode },
        responseTime: Math.round(performance.now() - started),
        ...(!response.writableFinished && { aborted: true }),
        ...(failure !== undefined && { err: failure }),
      };
      if (failed) logger.error(fields, 'request errored');
      else logger.info(fields, 'request completed');
    };
    response.once('finish', line);
    response.once('close', line);
    next();
  };
}
