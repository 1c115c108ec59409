import {
  Catch,
  HttpException,
  HttpStatus,
  Logger,
  type ArgumentsHost,
  type ExceptionFilter,
} from '@nestjs/common';
import type { Response } from 'express';
import { AuthenticationError } from '#libs/auth';
import { DomainError, type DomainErrorKind } from '#libs/domain';
import { EventStoreUnavailableError } from '#libs/event-store';
import { ApiError } from './api-error.js';
import type { ErrorBody } from './error-body.js';
import { redactSecrets, redactSecretsIn } from './secret-redaction.js';

const STATUS_OF_KIND: Record<DomainErrorKind, number> = {
  invalid: HttpStatus.BAD_REQUEST,
  unauthenticated: HttpStatus.UNAUTHORIZED,
  not_found: HttpStatus.NOT_FOUND,
  forbidden: HttpStatus.FORBIDDEN,
  conflict: HttpStatus.CONFLICT,
  rule: HttpStatus.UNPROCESSABLE_ENTITY,
};

/** Codes for Nest's own exceptions that carry none (unknown route, malformed JSON, ...). */
const CODE_OF_STATUS: Record<number, string> = {
  400: 'BAD_REQUEST',
  401: 'UNAUTHENTICATED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  405: 'METHOD_NOT_ALLOWED',
  409: 'CONFLICT',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  422: 'UNPROCESSABLE_ENTITY',
  429: 'TOO_MANY_REQUESTS',
};

/**
 * Maps every failure to the error model of R38: a status, a stable `code` and a sentence to
 * act on. Only unexpected failures are 500, and their details stay in the log: a message may
 * quote input, and input may hold a secret (S2).
 */
@Catch()
export class ApiExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('ApiExceptionFilter');

  catch(error: unknown, host: ArgumentsHost): void {
    const body = toErrorBody(error);
    const response = host.switchToHttp().getResponse<Response>();
    if (body.statusCode === HttpStatus.INTERNAL_SERVER_ERROR) {
      this.logUnexpected(error);
      // The request's log line (libs/logging) then carries the failure beside its reqId.
      if (error instanceof Error) response.err = error;
    }
    if (body.statusCode === HttpStatus.SERVICE_UNAVAILABLE) {
      const seconds = error instanceof ApiError ? (error.retryAfterSeconds ?? 1) : 1;
      response.setHeader('Retry-After', String(seconds));
    }
    response.status(body.statusCode).json(body);
  }

  private logUnexpected(error: unknown): void {
    if (error instanceof Error) this.logger.error(`${error.name}: ${error.message}`, error.stack);
    else this.logger.error('Unknown failure');
  }
}

/** The response R38 prescribes for any failure, with nothing shaped like a secret (S2). */
export function toErrorBody(error: unknown): ErrorBody {
  const body = errorBodyOf(error);
  const message = redactSecrets(body.message);
  return body.details
    ? { ...body, message, details: redactSecretsIn(body.details) }
    : { ...body, message };
}

function errorBodyOf(error: unknown): ErrorBody {
  if (error instanceof DomainError) {
    const body: ErrorBody = {
      statusCode: STATUS_OF_KIND[error.kind],
      code: error.code,
      message: error.message,
    };
    return error.details ? { ...body, details: error.details } : body;
  }
  if (error instanceof AuthenticationError) {
    return { statusCode: HttpStatus.UNAUTHORIZED, code: error.code, message: error.message };
  }
  if (error instanceof ApiError) {
    const body: ErrorBody = {
      statusCode: error.statusCode,
      code: error.code,
      message: error.message,
    };
    return error.details ? { ...body, details: error.details } : body;
  }
  if (error instanceof EventStoreUnavailableError) {
    return {
      statusCode: HttpStatus.SERVICE_UNAVAILABLE,
      code: 'EVENT_STORE_UNAVAILABLE',
      message: 'The event store cannot be reached; nothing was recorded. Retry shortly.',
    };
  }
  if (error instanceof HttpException) return fromHttpException(error);
  return {
    statusCode: HttpStatus.INTERNAL_SERVER_ERROR,
    code: 'INTERNAL_ERROR',
    message: 'Something failed on our side; nothing you sent was at fault. Retry, or report it.',
  };
}

function fromHttpException(error: HttpException): ErrorBody {
  const statusCode = error.getStatus();
  const response = error.getResponse();
  const fields =
    typeof response === 'object' && response !== null ? (response as Record<string, unknown>) : {};
  const message = typeof fields.message === 'string' ? fields.message : error.message;
  if (statusCode === HttpStatus.BAD_REQUEST && error.cause instanceof SyntaxError) {
    // The parser's message quotes the payload; say what is wrong without echoing it (S2).
    return { statusCode, code: 'MALFORMED_JSON', message: 'The body is not valid JSON.' };
  }
  if (statusCode === HttpStatus.BAD_REQUEST && error.cause instanceof URIError) {
    // Express's message quotes the path segment, which may be a pasted secret (S2).
    return {
      statusCode,
      code: 'MALFORMED_PATH',
      message: 'The path is not valid percent-encoded UTF-8.',
    };
  }
  if (statusCode === HttpStatus.NOT_FOUND && typeof fields.code !== 'string') {
    // Only the router throws a 404 without a code; its message quotes the whole URL (S2).
    return {
      statusCode,
      code: 'NOT_FOUND',
      message: 'No route matches this method and path: see /docs for the API.',
    };
  }
  const body: ErrorBody = {
    statusCode,
    code:
      typeof fields.code === 'string'
        ? fields.code
        : (CODE_OF_STATUS[statusCode] ?? `HTTP_${statusCode}`),
    message,
  };
  const details = fields.details;
  return details && typeof details === 'object'
    ? { ...body, details: details as Record<string, unknown> }
    : body;
}
