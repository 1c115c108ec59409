import { BadRequestException, ValidationPipe, type ValidationError } from '@nestjs/common';

/**
 * DTO validation (R38): unknown fields are refused rather than silently dropped, and the 400
 * lists every field at fault with what is wrong with it.
 */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    exceptionFactory: (errors) =>
      new BadRequestException({
        code: 'VALIDATION_FAILED',
        message: 'Some fields are missing or invalid: see details.fields.',
        details: { fields: flatten(errors) },
      }),
  });
}

function flatten(errors: ValidationError[], parent = ''): { field: string; problems: string[] }[] {
  return errors.flatMap((error) => {
    const field = parent ? `${parent}.${error.property}` : error.property;
    const own = error.constraints ? [{ field, problems: Object.values(error.constraints) }] : [];
    return [...own, ...flatten(error.children ?? [], field)];
  });
}
