/**
 * Who issues a command, as established by authentication (libs/auth). The deciders resolve
 * it against their state: a user becomes a member by email, an API key its effective
 * permissions (R15).
 */
export type Actor =
  | { type: 'support'; id: string }
  | { type: 'auditor'; id: string }
  | { type: 'user'; subject: string; email: string; groups: readonly string[] }
  | { type: 'api_key'; keyId: string; organizationId: string }
  /** Follow-up commands run on behalf of an event that caused them (cascades, R1, R9). */
  | { type: 'system'; id: string };

/** What every command carries besides its payload. */
export interface CommandMetadata {
  actor: Actor;
  /** ISO-8601 time the command was received. */
  now: string;
}
