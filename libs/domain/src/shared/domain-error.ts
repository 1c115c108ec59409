/**
 * How a refusal maps to HTTP (R38): not_found 404, forbidden 403, conflict 409, rule 422.
 * `invalid` is input the DTO layer could not catch (400); `unauthenticated` (401) a verified
 * token that still does not prove it is the member it names (S5).
 */
export type DomainErrorKind =
  'invalid' | 'unauthenticated' | 'not_found' | 'forbidden' | 'conflict' | 'rule';

/** A refused command. `code` is stable and machine-readable; `message` says what to do next. */
export class DomainError extends Error {
  constructor(
    readonly kind: DomainErrorKind,
    readonly code: string,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

/** The `default` of a decider's switch: a command type this code does not know. */
export function unknownCommand(command: never): DomainError {
  const type = (command as { type?: unknown }).type;
  return new DomainError('invalid', 'UNKNOWN_COMMAND', `Unknown command type ${String(type)}.`);
}
