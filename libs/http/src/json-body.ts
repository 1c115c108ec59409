import type { NextFunction, Request, Response } from 'express';
import { ApiError } from './api-error.js';

/**
 * The largest body accepted. The biggest legitimate one is a full batch (1,000 permissions of
 * up to 128 characters, or 1,000 principals), well under 1 MiB.
 */
export const MAX_BODY_BYTES = 1024 * 1024;

/**
 * The deepest nesting of arrays and objects accepted. Every DTO is a few levels deep; a deeper
 * body is a mistake or an attack, and past ~1,000 levels class-transformer's recursion
 * overflows the stack (a 500).
 */
export const MAX_BODY_DEPTH = 32;

const JSON_MEDIA_TYPE = /^application\/(?:[\w.+-]+\+)?json$/;

/**
 * The one body parser of every HTTP app, in place of Nest's (R38). Every route takes JSON, so
 * anything else is refused with 415 rather than parsed by a looser parser into an object the
 * DTOs were not written for; the size, the UTF-8 and the nesting depth are checked before
 * JSON.parse, so no later layer meets a body it cannot handle. Errors quote nothing of the
 * body (S2).
 */
export function jsonBody(): (request: Request, response: Response, next: NextFunction) => void {
  return (request, _response, next) => {
    if (!hasBody(request)) return next();
    const refusal = refuseHeaders(request);
    if (refusal) return drain(request, () => next(refusal));
    readBody(request, (error, bytes) => {
      if (error) return next(error);
      try {
        request.body = parse(bytes!);
        next();
      } catch (refused) {
        next(refused);
      }
    });
  };
}

/** As Node and body-parser judge it: a length header above zero, or a chunked body. */
function hasBody(request: Request): boolean {
  const length = request.headers['content-length'];
  return (
    request.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0')
  );
}

function refuseHeaders(request: Request): ApiError | undefined {
  const [mediaType, ...parameters] = (request.headers['content-type'] ?? '').split(';');
  const charset = parameters
    .map((parameter) => parameter.trim().toLowerCase())
    .find((parameter) => parameter.startsWith('charset='));
  if (
    !JSON_MEDIA_TYPE.test(mediaType.trim().toLowerCase()) ||
    (charset !== undefined && !['charset=utf-8', 'charset="utf-8"'].includes(charset))
  ) {
    return new ApiError(
      415,
      'UNSUPPORTED_MEDIA_TYPE',
      'Send the body as JSON in UTF-8, with `Content-Type: application/json`.',
    );
  }
  const encoding = (request.headers['content-encoding'] ?? 'identity').trim().toLowerCase();
  if (encoding !== 'identity') {
    return new ApiError(
      415,
      'UNSUPPORTED_MEDIA_TYPE',
      'Send the body uncompressed: no Content-Encoding is accepted.',
    );
  }
  const declared = Number(request.headers['content-length'] ?? 0);
  if (declared > MAX_BODY_BYTES) return tooLarge();
  return undefined;
}

const tooLarge = () =>
  new ApiError(
    413,
    'PAYLOAD_TOO_LARGE',
    `The body is over ${MAX_BODY_BYTES} bytes: split the request into smaller batches.`,
  );

/**
 * Reads the body up to the limit. Past it, the rest is read and dropped before answering, so
 * the client, still sending, sees the 413 instead of a stalled connection.
 */
function readBody(
  request: Request,
  callback: (error: ApiError | undefined, bytes?: Buffer) => void,
): void {
  let finished = false;
  const done = (error: ApiError | undefined, bytes?: Buffer) => {
    if (!finished) callback(error, bytes);
    finished = true;
  };
  const chunks: Buffer[] = [];
  let size = 0;
  let overflow = false;
  request.on('data', (chunk: Buffer) => {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) {
      overflow = true;
      chunks.length = 0;
    } else {
      chunks.push(chunk);
    }
  });
  request.on('end', () => (overflow ? done(tooLarge()) : done(undefined, Buffer.concat(chunks))));
  request.on('error', () =>
    done(new ApiError(400, 'BODY_INCOMPLETE', 'The body ended before its declared length.')),
  );
}

function drain(request: Request, then: () => void): void {
  let finished = false;
  const once = () => {
    if (!finished) then();
    finished = true;
  };
  request.on('end', once);
  request.on('error', once);
  request.resume();
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

function parse(bytes: Buffer): unknown {
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    throw new ApiError(400, 'MALFORMED_UTF8', 'The body is not valid UTF-8.');
  }
  if (nestingDepth(text) > MAX_BODY_DEPTH) {
    throw new ApiError(
      400,
      'BODY_TOO_DEEP',
      `The body nests arrays and objects more than ${MAX_BODY_DEPTH} levels deep.`,
    );
  }
  try {
    return JSON.parse(text);
  } catch {
    // The parser's message quotes the payload; say what is wrong without echoing it (S2).
    throw new ApiError(400, 'MALFORMED_JSON', 'The body is not valid JSON.');
  }
}

/**
 * The deepest nesting of `[` and `{` outside strings, in one pass and without recursion, so a
 * hostile body costs no more than its length. Malformed JSON is left to JSON.parse.
 */
export function nestingDepth(text: string): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c /* \ */) i++;
      else if (c === 0x22 /* " */) inString = false;
    } else if (c === 0x22) {
      inString = true;
    } else if (c === 0x5b /* [ */ || c === 0x7b /* { */) {
      if (++depth > deepest) deepest = depth;
    } else if (c === 0x5d /* ] */ || c === 0x7d /* } */) {
      depth--;
    }
  }
  return deepest;
}
