import { AccessErrors } from '../errors/access.errors.js';
import type { OrganizationState } from '../organization.state.js';
import type { Principal } from '../../shared/principal.js';

const MAX_ID_LENGTH = 128;

/** A well-formed principal, copied so that no extra input fields reach an event. */
export function requirePrincipal(value: unknown, field = 'principal'): Principal {
  const candidate = value as Partial<Principal> | null | undefined;
  if (
    typeof candidate !== 'object' ||
    candidate === null ||
    (candidate.type !== 'user' && candidate.type !== 'group') ||
    typeof candidate.id !== 'string' ||
    candidate.id.length === 0 ||
    candidate.id.length > MAX_ID_LENGTH
  ) {
    throw AccessErrors.invalidPrincipal(field);
  }
  return { type: candidate.type, id: candidate.id };
}

/** Principals that hold roles are current org members (any status) or existing groups. */
export function requireExistingPrincipal(state: OrganizationState, principal: Principal): void {
  const exists =
    principal.type === 'user' ? state.members.has(principal.id) : state.groups.has(principal.id);
  if (!exists) throw AccessErrors.principalNotFound(principal);
}

/** A non-empty list of ids, without duplicates, in the order given. */
export function requireIdList(value: unknown, onInvalid: () => Error): string[] {
  if (!Array.isArray(value) || value.length === 0) throw onInvalid();
  for (const id of value) {
    if (typeof id !== 'string' || id.length === 0 || id.length > MAX_ID_LENGTH) throw onInvalid();
  }
  return [...new Set(value as string[])];
}
