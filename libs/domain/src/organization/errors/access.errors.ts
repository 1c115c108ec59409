import { DomainError } from '../../shared/domain-error.js';
import { principalKey, type Principal } from '../../shared/principal.js';

/** Refusals shared by the group, workspace, project and dashboard commands. */
export const AccessErrors = {
  /** Missing authority; `message` names who may do it, so the user knows whom to ask. */
  notAllowed: (message: string) => new DomainError('forbidden', 'NOT_ALLOWED', message),
  apiKeyNotAllowed: (commandType: string) =>
    new DomainError(
      'forbidden',
      'API_KEY_NOT_ALLOWED',
      `API keys carry permissions, not workspace or project roles; ${commandType} must be done by a member.`,
    ),
  invalidPrincipal: (field = 'principal') =>
    new DomainError(
      'invalid',
      'INVALID_PRINCIPAL',
      `${field} must be {type: "user" | "group", id: non-empty string of at most 128 characters}.`,
      { field },
    ),
  duplicatePrincipal: (principal: Principal) =>
    new DomainError(
      'invalid',
      'DUPLICATE_PRINCIPAL',
      `Principal ${principalKey(principal)} is listed more than once; list each principal once.`,
      { principal },
    ),
  /** Principals are current org members (any status) or existing groups. */
  principalNotFound: (principal: Principal) =>
    new DomainError(
      'not_found',
      'PRINCIPAL_NOT_FOUND',
      principal.type === 'user'
        ? `User ${principal.id} is not a member of this organization; invite them first.`
        : `Group ${principal.id} not found.`,
      { principal },
    ),
};
