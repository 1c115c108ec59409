import { hash } from 'node:crypto';
import type { Express, Response } from 'express';
import { IdentityCache } from './identity-cache.js';

/**
 * How many serialised frozen objects met without a fragment of their own are kept (as many
 * again may linger in the older half of the cache): with pagination's views, which carry
 * their own, a few tens of MiB at worst.
 */
const FRAGMENT_CAPACITY = 20_000;

/** Deeper than this, the body is left to JSON.stringify (which also names a cycle). */
const MAX_WALK_DEPTH = 64;

/**
 * A deep-frozen plain object or array as JSON: its UTF-8 bytes, and the SHA-1 of them (base64,
 * 28 characters).
 */
interface Fragment {
  bytes: Buffer;
  digest: string;
}

/** Where freezeWithJson attaches an object's fragment (not enumerable: JSON and spreads skip it). */
const FRAGMENT = Symbol('json fragment');

/** Fragments of frozen objects that carry none (a document handed out as it is, say). */
const fragments = new IdentityCache<object, Fragment>(FRAGMENT_CAPACITY);

/** Cached for a frozen object holding something mutable: not worth checking it again. */
const UNCACHEABLE: Fragment = { bytes: Buffer.alloc(0), digest: '' };

/** Met something the walk leaves to JSON.stringify: a toJSON, a class instance, a cycle… */
const EXOTIC = Symbol('exotic');

/**
 * What a response body serialises to: its text, or, when it holds cached parts, its bytes
 * (the parts copied as they are, no string to build and encode) and the text of its ETag.
 * `tag` stands for the body with every cached part replaced by a NUL and its digest: it
 * changes whenever the bytes do (JSON text holds no raw NUL, and a digest is of fixed length,
 * so the two never get confused), and hashing it costs a few bytes per cached part instead of
 * the whole body.
 */
export type SerialisedJson =
  | { text: string | undefined; bytes?: undefined; tag?: undefined }
  | { text?: undefined; bytes: Buffer; tag: string };

/** The text of a serialised body, whichever form it took. */
export function textOf(serialised: SerialisedJson): string | undefined {
  return serialised.bytes ? serialised.bytes.toString('utf8') : serialised.text;
}

class Writer {
  /** The text since the last cached part. */
  private text = '';
  /** Text and cached parts' bytes, in order; undefined until the first cached part. */
  private parts: Array<string | Buffer> | undefined;
  private tag = '';

  add(piece: string): void {
    this.text += piece;
  }

  addFragment(fragment: Fragment): void {
    this.parts ??= [];
    if (this.text !== '') {
      this.parts.push(this.text);
      this.tag += this.text;
      this.text = '';
    }
    this.parts.push(fragment.bytes);
    this.tag += '\0' + fragment.digest;
  }

  finish(): SerialisedJson {
    const parts = this.parts;
    if (parts === undefined) return { text: this.text };
    if (this.text !== '') {
      parts.push(this.text);
      this.tag += this.text;
    }
    let length = 0;
    for (const part of parts) {
      length += typeof part === 'string' ? Buffer.byteLength(part, 'utf8') : part.length;
    }
    const bytes = Buffer.allocUnsafe(length);
    let at = 0;
    for (const part of parts) {
      if (part === ',') bytes[at++] = 0x2c;
      else if (typeof part === 'string') at += bytes.write(part, at, 'utf8');
      else {
        bytes.set(part, at);
        at += part.length;
      }
    }
    return { bytes, tag: this.tag };
  }
}

/**
 * `value`, frozen, with its JSON text attached for serialiseJson to reuse; for an object
 * whose contents are deep-frozen plain data already (a read model's frozen document, a view
 * of one). Otherwise it is only frozen. Either way it serialises as before: the fragment is
 * held under a symbol, which JSON, Object.keys and spreads do not see.
 */
export function freezeWithJson<T extends object>(value: T): Readonly<T> {
  if (!Object.isFrozen(value) && plainData(value) && contentsFrozen(value, 0)) {
    Object.defineProperty(value, FRAGMENT, { value: fragmentOfText(JSON.stringify(value)) });
  }
  return Object.freeze(value);
}

/**
 * JSON.stringify(value), byte for byte, for the bodies the API answers with: plain objects,
 * arrays and primitives. A deep-frozen plain object or array met on the way is serialised
 * once and its text reused while the object lives (see writeArray for which arrays are looked
 * into): the read models hand out their documents
 * frozen, and a page's items are views made by freezeWithJson (pagination.ts), so a page of a
 * hundred documents costs a hundred property reads instead of a hundred serialisations.
 * Anything else — a toJSON, a Date, a class instance, a nesting past MAX_WALK_DEPTH — sends
 * the whole body to JSON.stringify, so the output is always what it gives (errors included).
 */
export function serialiseJson(value: unknown): SerialisedJson {
  if (typeof value !== 'object' || value === null) {
    return { text: JSON.stringify(value) as string | undefined };
  }
  const writer = new Writer();
  try {
    writeObject(writer, value, 0);
  } catch (error) {
    if (error !== EXOTIC) throw error;
    return { text: JSON.stringify(value) };
  }
  return writer.finish();
}

function writeValue(writer: Writer, value: unknown, depth: number): void {
  switch (typeof value) {
    case 'string':
      writer.add(JSON.stringify(value));
      return;
    case 'number':
      writer.add(Number.isFinite(value) ? String(value) : 'null');
      return;
    case 'boolean':
      writer.add(value ? 'true' : 'false');
      return;
    case 'object':
      if (value === null) writer.add('null');
      else writeObject(writer, value, depth);
      return;
    default:
      // bigint and anything else: JSON.stringify's to judge (it throws on a bigint).
      throw EXOTIC;
  }
}

/** Whether JSON.stringify leaves the value out of an object (or writes null in an array). */
const omitted = (value: unknown) =>
  value === undefined || typeof value === 'function' || typeof value === 'symbol';

function writeObject(writer: Writer, value: object, depth: number): void {
  if (depth > MAX_WALK_DEPTH || !plainData(value)) throw EXOTIC;
  const attached = (value as { [FRAGMENT]?: Fragment })[FRAGMENT];
  if (attached !== undefined) {
    writer.addFragment(attached);
    return;
  }
  if (Object.isFrozen(value)) {
    const fragment = fragments.get(value) ?? fragmentOf(value);
    if (fragment !== UNCACHEABLE) {
      writer.addFragment(fragment);
      return;
    }
  }
  if (Array.isArray(value)) {
    writeArray(writer, value as unknown[], depth);
    return;
  }
  const record = value as Record<string, unknown>;
  writer.add('{');
  let first = true;
  for (const key of Object.keys(record)) {
    const item = record[key];
    if (omitted(item)) continue;
    writer.add(first ? `${JSON.stringify(key)}:` : `,${JSON.stringify(key)}:`);
    first = false;
    writeValue(writer, item, depth + 1);
  }
  writer.add('}');
}

/**
 * An array of frozen objects (a page's items) is written item by item, each frozen one from
 * its cached text and any other by JSON.stringify. Any other array — fresh objects, as the
 * MongoDB store returns, a batch of check answers, primitives — goes to JSON.stringify whole,
 * which writes it several times faster than this walk would. (JSON.stringify of a part writes
 * what it writes in place, as long as the part itself has no toJSON to be called with its key:
 * an item with one sends the whole body to JSON.stringify.)
 */
function writeArray(writer: Writer, array: unknown[], depth: number): void {
  if (!isFrozenObject(array[0])) {
    writer.add(JSON.stringify(array));
    return;
  }
  writer.add('[');
  for (let i = 0; i < array.length; i++) {
    if (i > 0) writer.add(',');
    const item = array[i];
    // A fragment freezeWithJson attached was made from this frozen object's own data.
    const attached = (item as { [FRAGMENT]?: Fragment } | undefined)?.[FRAGMENT];
    if (attached !== undefined) writer.addFragment(attached);
    else if (omitted(item)) writer.add('null');
    else if (isFrozenObject(item)) writeObject(writer, item, depth + 1);
    else if (typeof item !== 'object' || item === null) writeValue(writer, item, depth + 1);
    else if (typeof (item as { toJSON?: unknown }).toJSON === 'function') throw EXOTIC;
    else writer.add(JSON.stringify(item));
  }
  writer.add(']');
}

const isFrozenObject = (value: unknown): value is object =>
  typeof value === 'object' && value !== null && Object.isFrozen(value);

/** An array, or an object of Object.prototype (or none), without a toJSON. */
function plainData(value: object): boolean {
  const prototype = Object.getPrototypeOf(value) as unknown;
  const plain = Array.isArray(value)
    ? prototype === Array.prototype
    : prototype === Object.prototype || prototype === null;
  return plain && typeof (value as { toJSON?: unknown }).toJSON !== 'function';
}

/**
 * The cached text of a frozen object, made now; UNCACHEABLE unless everything in it is frozen
 * plain data too, so that the text can never go stale.
 */
function fragmentOf(value: object): Fragment {
  const fragment = contentsFrozen(value, 0) ? fragmentOfText(JSON.stringify(value)) : UNCACHEABLE;
  fragments.set(value, fragment);
  return fragment;
}

function fragmentOfText(text: string): Fragment {
  const bytes = Buffer.from(text, 'utf8');
  return { bytes, digest: hash('sha1', bytes, 'base64') };
}

/** Whether every property of `value` is a plain value, or frozen plain data all the way down. */
function contentsFrozen(value: object, depth: number): boolean {
  if (depth > MAX_WALK_DEPTH) return false;
  for (const key of Object.keys(value)) {
    const descriptor = Object.getOwnPropertyDescriptor(value, key)!;
    // A getter on a frozen object can still answer differently each time.
    if (!('value' in descriptor)) return false;
    const item = descriptor.value as unknown;
    if (typeof item === 'bigint') return false;
    if (
      typeof item === 'object' &&
      item !== null &&
      !(Object.isFrozen(item) && plainData(item) && contentsFrozen(item, depth + 1))
    ) {
      return false;
    }
  }
  return true;
}

/** Express's weak ETag format (`W/"<length>-<27 chars of base64 SHA-1>"`), of the tag text. */
function weakTag(length: number, tag: string): string {
  return `W/"${length.toString(16)}-${hash('sha1', tag, 'base64').substring(0, 27)}"`;
}

/**
 * Installs serialiseJson as the app's `res.json` (Express's extension point: `app.response`
 * is the prototype of this app's responses). What Express's own does is kept: the default
 * Content-Type, then `res.send`, which sets the charset and Content-Length, answers 304 to a
 * fresh conditional request and skips the body of a HEAD. A body with cached parts gets its
 * weak ETag from their digests, and goes to `send` already encoded, with the Content-Type
 * Express would have set (`application/json; charset=utf-8`); any other body is sent as a
 * string and keeps the ETag Express computes from its bytes. An app that sets `json
 * replacer`, `json spaces`, `json escape` or another ETag function keeps Express's serialiser.
 */
export function installJsonResponses(app: Express): void {
  const original = app.response.json;
  app.response.json = function json(this: Response, body: unknown): Response {
    const settings = this.app;
    if (
      settings.get('json replacer') !== undefined ||
      settings.get('json spaces') !== undefined ||
      settings.get('json escape')
    ) {
      return original.call(this, body);
    }
    const serialised = serialiseJson(body);
    const contentType = this.getHeader('Content-Type');
    if (
      serialised.bytes === undefined ||
      contentType !== undefined ||
      this.getHeader('ETag') !== undefined ||
      settings.get('etag') !== 'weak'
    ) {
      if (contentType === undefined) this.set('Content-Type', 'application/json');
      return this.send(textOf(serialised));
    }
    this.setHeader('Content-Type', 'application/json; charset=utf-8');
    this.setHeader('ETag', weakTag(serialised.bytes.length, serialised.tag));
    return this.send(serialised.bytes);
  };
}
