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

/** A deep-frozen plain object or array as JSON, and the SHA-1 of that text (base64, 28 characters). */
interface Fragment {
  text: string;
  digest: string;
}

/** Where freezeWithJson attaches an object's fragment (not enumerable: JSON and spreads skip it). */
const FRAGMENT = Symbol('json fragment');

/** Fragments of frozen objects that carry none (a document handed out as it is, say). */
const fragments = new IdentityCache<object, Fragment>(FRAGMENT_CAPACITY);

/** Cached for a frozen object holding something mutable: not worth checking it again. */
const UNCACHEABLE: Fragment = { text: '', digest: '' };

/** Met something the walk leaves to JSON.stringify: a toJSON, a class instance, a cycle… */
const EXOTIC = Symbol('exotic');

/**
 * What a response body serialises to, with the text of its ETag when it holds cached parts.
 * `tag` stands for `text` with every cached part's text replaced by a NUL and its digest: it
 * changes whenever the text does (JSON text holds no raw NUL, so the two never get confused),
 * and hashing it costs a few bytes per cached part instead of the whole body.
 */
export interface SerialisedJson {
  text: string | undefined;
  tag: string | undefined;
}

class Writer {
  text = '';
  /** Undefined until the first cached part: before it, the tag is the text itself. */
  tag: string | undefined = undefined;

  add(piece: string): void {
    this.text += piece;
    if (this.tag !== undefined) this.tag += piece;
  }

  addFragment(fragment: Fragment): void {
    this.tag = (this.tag ?? this.text) + '\0' + fragment.digest;
    this.text += fragment.text;
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
 * once and its text reused while the object lives: the read models hand out their documents
 * frozen, and a page's items are views made by freezeWithJson (pagination.ts), so a page of a
 * hundred documents costs a hundred property reads instead of a hundred serialisations.
 * Anything else — a toJSON, a Date, a class instance, a nesting past MAX_WALK_DEPTH — sends
 * the whole body to JSON.stringify, so the output is always what it gives (errors included).
 */
export function serialiseJson(value: unknown): SerialisedJson {
  if (typeof value !== 'object' || value === null) {
    return { text: JSON.stringify(value) as string | undefined, tag: undefined };
  }
  const writer = new Writer();
  try {
    writeObject(writer, value, 0);
  } catch (error) {
    if (error !== EXOTIC) throw error;
    return { text: JSON.stringify(value), tag: undefined };
  }
  return { text: writer.text, tag: writer.tag };
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
    const array = value as unknown[];
    writer.add('[');
    for (let i = 0; i < array.length; i++) {
      if (i > 0) writer.add(',');
      const item = array[i];
      if (omitted(item)) writer.add('null');
      else writeValue(writer, item, depth + 1);
    }
    writer.add(']');
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
  return { text, digest: hash('sha1', text, 'base64') };
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
    const { text, tag } = serialiseJson(body);
    const contentType = this.getHeader('Content-Type');
    if (
      text === undefined ||
      tag === undefined ||
      contentType !== undefined ||
      this.getHeader('ETag') !== undefined ||
      settings.get('etag') !== 'weak'
    ) {
      if (contentType === undefined) this.set('Content-Type', 'application/json');
      return this.send(text);
    }
    const bytes = Buffer.from(text, 'utf8');
    this.setHeader('Content-Type', 'application/json; charset=utf-8');
    this.setHeader('ETag', weakTag(bytes.length, tag));
    return this.send(bytes);
  };
}
