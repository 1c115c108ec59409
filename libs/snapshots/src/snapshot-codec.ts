import { deserialize, serialize } from 'node:v8';
import { types } from 'node:util';
import { deflateRawSync, inflateRawSync } from 'node:zlib';

/**
 * The bytes of a snapshot: the value in V8's serialization format (node:v8, the structured
 * clone algorithm), which holds Maps and Sets — what OrganizationState is made of — natively,
 * and is read back by native code several times faster than JSON plus a rebuild of the Maps
 * (ADR 19 has the figures). Structural, so a field added to a state is carried without a codec
 * change; a changed *meaning* of a field is a fold-version bump, never a codec concern.
 *
 * The structured clone silently turns a class instance into a plain object, so the encoder
 * first checks the value is plain data, Maps and Sets only, and refuses anything else: a
 * snapshot it cannot give back exactly is never written.
 */

/** Bump with any change to the encoding below (part of every snapshot's fold version). */
export const SNAPSHOT_CODEC_VERSION = 2;

/** First byte of the encoding, so a later format can be told apart from this one. */
const FORMAT_V8 = 2;
const FORMAT_V8_DEFLATED = 3;

/**
 * Deflate level 1, when asked: snapshots of large organizations are mostly UUIDs and e-mail
 * addresses, which level 1 already shrinks about 4x; higher levels cost several times the CPU
 * for a few per cent. Inflating costs about half the decode, so only the kinds kept by the
 * dozen (the history's) are compressed.
 */
const DEFLATE_LEVEL = 1;

export interface SnapshotEncodeOptions {
  /** Deflate the bytes: about 4x smaller, about 1.5x slower to decode. */
  compress?: boolean;
}

export class SnapshotCodecError extends Error {
  readonly code = 'SNAPSHOT_UNREADABLE';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'SnapshotCodecError';
  }
}

export function encodeSnapshotValue(
  value: unknown,
  options: SnapshotEncodeOptions = {},
): Uint8Array {
  assertPlain(value);
  const serialized = serialize(value);
  const body = options.compress ? deflateRawSync(serialized, { level: DEFLATE_LEVEL }) : serialized;
  const bytes = Buffer.allocUnsafe(body.length + 1);
  bytes[0] = options.compress ? FORMAT_V8_DEFLATED : FORMAT_V8;
  body.copy(bytes, 1);
  return bytes;
}

/** The value `encodeSnapshotValue` was given; the caller names its type (it wrote it). */
export function decodeSnapshotValue<T>(bytes: Uint8Array): T {
  const format = bytes[0];
  if (format !== FORMAT_V8 && format !== FORMAT_V8_DEFLATED) {
    throw new SnapshotCodecError(`Unknown snapshot format ${format ?? '(empty)'}.`);
  }
  try {
    const body = Buffer.from(bytes.buffer, bytes.byteOffset + 1, bytes.byteLength - 1);
    return deserialize(format === FORMAT_V8_DEFLATED ? inflateRawSync(body) : body) as T;
  } catch (error) {
    throw new SnapshotCodecError('A snapshot could not be decoded.', { cause: error });
  }
}

/**
 * Throws unless `value` is strings, finite numbers, booleans, null, arrays, Maps, Sets, plain
 * objects and byte arrays (an encoded value inside another, decoded only when needed).
 */
function assertPlain(value: unknown): void {
  if (value === null || value === undefined) return;
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return;
    case 'number':
      if (!Number.isFinite(value)) throw new TypeError(`A snapshot cannot hold ${value}.`);
      return;
    case 'object':
      break;
    default:
      throw new TypeError(
        `A snapshot holds plain data, Maps and Sets only, not a ${typeof value}.`,
      );
  }
  // node:util's checks, not instanceof: they hold for Maps and Sets of any realm (a vm, a test).
  if (types.isUint8Array(value)) return;
  if (Array.isArray(value)) {
    for (const item of value) assertPlain(item);
  } else if (types.isMap(value)) {
    for (const [key, item] of value as Map<unknown, unknown>) {
      assertPlain(key);
      assertPlain(item);
    }
  } else if (types.isSet(value)) {
    for (const item of value as Set<unknown>) assertPlain(item);
  } else if (isPlainObject(value)) {
    for (const key in value) assertPlain((value as Record<string, unknown>)[key]);
  } else {
    const name = (value as { constructor?: { name?: string } }).constructor?.name ?? 'unknown';
    throw new TypeError(`A snapshot holds plain data, Maps and Sets only, not a ${name}.`);
  }
}

/** An object literal's kind (of any realm), or one without a prototype. */
function isPlainObject(value: object): boolean {
  const prototype: unknown = Object.getPrototypeOf(value);
  return prototype === null || Object.getPrototypeOf(prototype) === null;
}
