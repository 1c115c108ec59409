import {
  BadRequestException,
  ValidationPipe,
  type ArgumentMetadata,
  type ValidationError,
} from '@nestjs/common';
import { illFormedPaths, toWellFormed } from './well-formed-unicode.js';

type FieldProblems = { field: string; problems: string[] }[];

/**
 * DTO validation (R38): unknown fields are refused rather than silently dropped, and the 400
 * lists every field at fault with what is wrong with it. Strings that are not well-formed
 * Unicode are refused before any validator sees them.
 */
class AccessLedgerValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (metadata.type !== 'custom') {
      const illFormed = illFormedPaths(value);
      if (illFormed.length > 0) {
        throw validationFailed(
          illFormed.map((field) => ({
            field: field || metadata.data || metadata.type,
            problems: ['must be well-formed Unicode (no lone UTF-16 surrogates)'],
          })),
        );
      }
    }
    return super.transform(value, metadata);
  }
}

export function createValidationPipe(): ValidationPipe {
  return new AccessLedgerValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    exceptionFactory: (errors) => validationFailed(flatten(errors)),
  });
}

const validationFailed = (fields: FieldProblems) =>
  new BadRequestException({
    code: 'VALIDATION_FAILED',
    message: 'Some fields are missing or invalid: see details.fields.',
    details: { fields },
  });

function flatten(errors: ValidationError[], parent = ''): FieldProblems {
  return errors.flatMap((error) => {
    const property = toWellFormed(error.property);
    const field = parent ? `${parent}.${property}` : property;
    const own = error.constraints
      ? [{ field, problems: Object.values(error.constraints).map(toWellFormed) }]
      : [];
    return [...own, ...flatten(error.children ?? [], field)];
  });
}
