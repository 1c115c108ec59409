/**
 * What the projector may log about an error. Driver messages can quote the data they choked
 * on — a duplicate-key error names the key, and credentials are keyed by a secret's hash
 * (S2) — so foreign errors are described by their class and code only.
 */
export function describeError(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return code === undefined ? error.name : `${error.name} (${String(code)})`;
  }
  return typeof error;
}

type ErrorClass = abstract new (...args: never[]) => Error;

/** The message of an error of one of the `trusted` classes (ours, written for operators). */
export function safeMessage(error: unknown, trusted: readonly ErrorClass[]): string {
  const ours = trusted.some((errorClass) => error instanceof errorClass);
  return ours && error instanceof Error ? error.message : describeError(error);
}
