import type { UserActor } from '../shared/actor.js';
import { DomainError } from '../shared/domain-error.js';

/**
 * S5, ADR 12: a member is bound to their identity — the token's issuer and `sub` — at first
 * sign-in, and from then on a token is that member only if its issuer and `sub` match. The
 * command side (over the organization state), the query side (over the members read model)
 * and the change feed each look up the two candidates their own way and let this one function
 * judge, so the three cannot disagree about who a token is.
 */

/**
 * What a member records of their identity; the domain state (absent fields) and the member
 * documents (null fields) both fit.
 */
export interface MemberIdentity {
  /** The `sub` recorded at first sign-in; none until then. */
  subject?: string | null;
  /** The `iss` recorded with it; none for bindings recorded before S5 (matched by `sub`). */
  issuer?: string | null;
}

/**
 * The lookup key of a bound identity. JSON keeps it unambiguous whatever the issuer and `sub`
 * contain; a binding without an issuer (before S5) has `null` there.
 */
export function identityKey(issuer: string | null | undefined, subject: string): string {
  return JSON.stringify([issuer ?? null, subject]);
}

/**
 * The keys to look a token up by, most specific first: its issuer and `sub`, then its `sub`
 * alone for members bound before issuers were recorded. Only one issuer is accepted at a time
 * (S3), so a `sub` alone still names one identity of that provider.
 */
export function identityKeysOf(actor: UserActor): string[] {
  const keys = [identityKey(undefined, actor.subject)];
  if (actor.issuer !== undefined) keys.unshift(identityKey(actor.issuer, actor.subject));
  return keys;
}

export const isBound = (member: MemberIdentity): boolean =>
  member.subject !== undefined && member.subject !== null;

/**
 * Who a verified JWT is among the members of one organization.
 *
 * @param bound the member bound to the token's identity (looked up by `identityKeysOf`), if any
 * @param byEmail the member holding the token's email, if any
 * @returns the member (not bound yet when `subject` is none: a sign-in binds them), or
 *   `undefined` for a stranger (the caller answers 404, S1)
 * @throws DomainError 401 `IDENTITY_MISMATCH` when the email belongs to a member bound to
 *   another identity, 401 `EMAIL_NOT_VERIFIED` when an unbound member's email is not verified
 */
export function identifyMember<M extends MemberIdentity>(
  actor: UserActor,
  bound: M | undefined,
  byEmail: M | undefined,
): M | undefined {
  // Bound members are found by identity only: an email changed at the provider keeps them.
  if (bound !== undefined && matches(bound, actor)) return bound;
  if (byEmail === undefined) return undefined;
  if (isBound(byEmail)) {
    if (matches(byEmail, actor)) return byEmail;
    throw IdentityErrors.identityMismatch();
  }
  // Not bound yet (an invitee, or the first user before their first sign-in): the email is
  // all there is to go by, so it must not be one the provider says is unverified.
  if (actor.emailVerified === false) throw IdentityErrors.emailNotVerified();
  return byEmail;
}

function matches(member: MemberIdentity, actor: UserActor): boolean {
  if (member.subject !== actor.subject) return false;
  return member.issuer === undefined || member.issuer === null || member.issuer === actor.issuer;
}

export const IdentityErrors = {
  identityMismatch: () =>
    new DomainError(
      'unauthenticated',
      'IDENTITY_MISMATCH',
      "This token carries a member's e-mail but not the identity (issuer and subject) that member signed in with first. Sign in with that account; if the member's account at the identity provider changed, an org admin (a member holding truora.users) removes and re-invites the member.",
    ),
  emailNotVerified: () =>
    new DomainError(
      'unauthenticated',
      'EMAIL_NOT_VERIFIED',
      'The identity provider says this e-mail address is not verified: verify it there, then sign in again.',
    ),
};
