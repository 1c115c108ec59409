/** A remembered response to a command sent with an Idempotency-Key (R37). */
export interface IdempotentResponse {
  /** SHA-256 of method, path and body: the same key with another request is refused. */
  fingerprint: string;
  statusCode: number;
  body: unknown;
  storedAt: number;
}

export interface IdempotencyStore {
  get(scope: string): Promise<IdempotentResponse | undefined>;
  put(scope: string, response: IdempotentResponse): Promise<void>;
  close(): Promise<void>;
}
