import createClient, { type Client, type ClientOptions } from 'openapi-fetch';
import type { paths } from './schema.js';

export type { components, operations, paths } from './schema.js';

/** Every route of the API, typed from the OpenAPI document: `client.GET('/v1/orgs/{orgId}/members', …)`. */
export type AccessLedgerClient = Client<paths>;

export interface AccessLedgerClientOptions extends Omit<ClientOptions, 'baseUrl'> {
  /** Where the service listens, e.g. `http://localhost:3000` (the paths start with `/v1`). */
  baseUrl: string;
  /**
   * Sent as `Authorization: Bearer …` on every request: a member's JWT, an API key's secret, or
   * a support or auditor token. A function is called per request, for tokens that refresh.
   */
  token?: string | (() => string | Promise<string>);
}

/** A typed client of one principal. Make one client per token. */
export function createAccessLedgerClient({
  baseUrl,
  token,
  ...options
}: AccessLedgerClientOptions): AccessLedgerClient {
  const client = createClient<paths>({ baseUrl, ...options });
  if (token !== undefined) {
    client.use({
      async onRequest({ request }) {
        const value = typeof token === 'function' ? await token() : token;
        request.headers.set('Authorization', `Bearer ${value}`);
        return request;
      },
    });
  }
  return client;
}

/**
 * Headers that make a command safe to retry: pass them as `headers` and send the same key on
 * every retry of that command, so the service applies it once and answers the retries with
 * the first answer. Without an argument, a fresh random key.
 */
export function idempotencyKey(key: string = crypto.randomUUID()): { 'Idempotency-Key': string } {
  return { 'Idempotency-Key': key };
}
