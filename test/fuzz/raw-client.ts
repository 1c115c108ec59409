import { Agent, request } from 'node:http';

export interface RawRequest {
  method: string;
  /** Already percent-encoded: sent byte for byte, so malformed encodings reach the server. */
  path: string;
  headers: Record<string, string>;
  body?: Buffer;
}

export interface RawAnswer {
  status: number;
  contentType: string;
  /** The body as text; empty for a stream, which is abandoned once its headers arrive. */
  text: string;
  /** Set when no answer came in time: a hang is a failure like a 5xx. */
  timedOut?: boolean;
}

/**
 * A bare HTTP client for the fuzz suite: supertest re-encodes paths and JSON-encodes bodies,
 * and cannot leave a Server-Sent Events stream once its status is known.
 */
export class RawClient {
  private readonly agent = new Agent({ keepAlive: true, maxSockets: 1 });

  constructor(
    private readonly port: number,
    private readonly timeoutMs: number,
  ) {}

  send({ method, path, headers, body }: RawRequest): Promise<RawAnswer> {
    return new Promise((resolve, reject) => {
      const outgoing = request(
        {
          host: '127.0.0.1',
          port: this.port,
          method,
          path,
          agent: this.agent,
          headers: body ? { ...headers, 'content-length': String(body.length) } : headers,
        },
        (response) => {
          const contentType = String(response.headers['content-type'] ?? '');
          const status = response.statusCode ?? 0;
          if (contentType.startsWith('text/event-stream')) {
            // A stream never ends by itself: its status and type are the answer.
            clearTimeout(timer);
            response.destroy();
            outgoing.destroy();
            resolve({ status, contentType, text: '' });
            return;
          }
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('end', () => {
            clearTimeout(timer);
            resolve({ status, contentType, text: Buffer.concat(chunks).toString('utf8') });
          });
          response.on('error', reject);
        },
      );
      const timer = setTimeout(() => {
        outgoing.destroy();
        resolve({ status: 0, contentType: '', text: '', timedOut: true });
      }, this.timeoutMs);
      outgoing.on('error', (error) => {
        clearTimeout(timer);
        reject(error);
      });
      outgoing.end(body);
    });
  }

  close(): void {
    this.agent.destroy();
  }
}
