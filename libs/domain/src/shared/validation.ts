import { DomainError } from './domain-error.js';

/**
 * Input checks the DTO layer is expected to make too; the decider repeats them because it is
 * the last line before history, which is never rewritten.
 */

const MAX_ID_LENGTH = 128;

export function requireId(value: unknown, field: string): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > MAX_ID_LENGTH) {
    throw new DomainError(
      'invalid',
      'INVALID_ID',
      `${field} must be a non-empty string of at most ${MAX_ID_LENGTH} characters.`,
      { field },
    );
  }
  return value;
}

/** Returns the trimmed name, which is what gets recorded. */
export function requireName(value: unknown, field: string, code: string, maxLength = 64): string {
  const name = typeof value === 'string' ? value.trim() : '';
  if (name.length === 0 || name.length > maxLength) {
    throw new DomainError(
      'invalid',
      code,
      `${field} must be 1 to ${maxLength} characters once trimmed.`,
      { field },
    );
  }
  return name;
}

// Deliberately loose: the identity provider owns e-mail verification; this only catches
// values that cannot be an address at all.
const EMAIL_PATTERN = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Returns the trimmed email. */
export function requireEmail(value: unknown, field = 'email'): string {
  const email = typeof value === 'string' ? value.trim() : '';
  if (email.length > 254 || !EMAIL_PATTERN.test(email)) {
    throw new DomainError('invalid', 'INVALID_EMAIL', `${field} must be an e-mail address.`, {
      field,
    });
  }
  return email;
}

/** Sorted and without duplicates: events record permission sets in one canonical form. */
export const sortedUnique = (values: Iterable<string>): string[] => [...new Set(values)].sort();
