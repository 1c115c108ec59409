/**
 * Who issues a command, as established by authentication (libs/auth). The deciders resolve
 * it against their state: a user becomes a member by the identity bound at their first
 * sign-in (S5, member-identity.ts), an API key its effective permissions (R15).
 */
export type Actor =
  | { type: 'support'; id: string }
  | { type: 'auditor'; id: string }
  | UserActor
  | { type: 'api_key'; keyId: string; organizationId: string }
  /** Follow-up commands run on behalf of an event that caused them (cascades, R1, R9). */
  | { type: 'system'; id: string };

/** A member's verified JWT (S3). */
export interface UserActor {
  type: 'user';
  /**
   * `iss`: libs/auth always sets it. Fixtures may leave it out; a member bound without an
   * issuer (as MemberActivated recorded before S5) is then matched by `sub` alone.
   */
  issuer?: string;
  subject: string;
  email: string;
  groups: readonly string[];
  /** The provider's `email_verified`, when it states one (S5). */
  emailVerified?: boolean;
}

/** What every command carries besides its payload. */
export interface CommandMetadata {
  actor: Actor;
  /** ISO-8601 time the command was received. */
  now: string;
}
