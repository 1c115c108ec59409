import {
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';

/**
 * How long the requests in flight at shutdown may take to finish before their connections are
 * cut: longer than a read waiting for `?minPosition=` (2 s), well inside `docker stop`'s 10 s.
 */
export const DRAIN_GRACE_MS = 5_000;

const STOPPING_COMMENT = ': the server is stopping; reconnect with Last-Event-ID to resume\n\n';

/**
 * Stops the HTTP server first when the app shuts down: no new connections, idle keep-alive
 * connections closed, requests in flight answered, Server-Sent Events streams ended with a
 * reconnect hint. Nest closes the server only after the `beforeApplicationShutdown` hooks have
 * stopped the projector, so a request still running then would wait on a stopped projector;
 * module-destroy hooks run before those, which is why the drain lives here (ADR 25).
 */
@Injectable()
export class HttpDrain implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('Shutdown');
  private readonly inFlight = new Set<ServerResponse>();
  private server: Server | undefined;

  constructor(private readonly adapterHost: HttpAdapterHost) {}

  onApplicationBootstrap(): void {
    this.server = this.adapterHost.httpAdapter?.getHttpServer() as Server | undefined;
    this.server?.on('request', (_request: IncomingMessage, response: ServerResponse) => {
      this.inFlight.add(response);
      response.once('close', () => this.inFlight.delete(response));
    });
  }

  async onModuleDestroy(): Promise<void> {
    const server = this.server;
    if (!server?.listening) return;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    this.logger.log(
      `Stopping: accepting no new connections, finishing ${this.inFlight.size} request(s) in flight.`,
    );
    for (const response of this.inFlight) {
      if (String(response.getHeader('content-type')).startsWith('text/event-stream')) {
        response.end(STOPPING_COMMENT);
      }
    }
    if (!(await this.finished(server))) {
      this.logger.warn(
        `${this.inFlight.size} request(s) still running after ${DRAIN_GRACE_MS} ms: closing their connections.`,
      );
      server.closeAllConnections();
    }
    await closed;
  }

  /** Whether every request in flight finished within the grace period. */
  private finished(server: Server): Promise<boolean> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(false), DRAIN_GRACE_MS);
      const check = () => {
        // A keep-alive connection whose request just finished is idle now: close it too.
        server.closeIdleConnections();
        if (this.inFlight.size > 0) return;
        clearTimeout(timer);
        resolve(true);
      };
      for (const response of this.inFlight) response.once('close', () => setImmediate(check));
      check();
    });
  }
}
