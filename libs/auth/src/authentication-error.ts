/** 401: the request does not prove who sent it. The message says what to send instead. */
export class AuthenticationError extends Error {
  constructor(
    readonly code: 'UNAUTHENTICATED' | 'INVALID_TOKEN',
    message: string,
  ) {
    super(message);
    this.name = 'AuthenticationError';
  }
}
