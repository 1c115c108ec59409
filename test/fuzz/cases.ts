import {
  exampleOf,
  fieldsOf,
  requiredOf,
  withAt,
  type Field,
  type JsonValue,
  type Operation,
} from './openapi.js';
import type { Prng } from './prng.js';

/** Who sends a request. `primary` is the actor the operation is meant for. */
export type ActorName = 'primary' | 'none' | 'forged' | 'secret' | 'foreign' | 'auditor';

export type Category =
  | 'auth'
  | 'path-id'
  | 'foreign-id'
  | 'query'
  | 'malformed-json'
  | 'media-type'
  | 'top-level'
  | 'missing'
  | 'unknown'
  | 'wrong-type'
  | 'deep'
  | 'huge'
  | 'unicode'
  | 'body-id'
  | 'random';

export interface FuzzCase {
  category: Category;
  label: string;
  method: string;
  /** Percent-encoded path and query, sent as is. */
  path: string;
  /** Without Authorization: the runner adds the actor's. */
  headers: Record<string, string>;
  body?: Buffer;
  actor: ActorName;
  /**
   * The actor has no business here (no token, a bad one, another organization's admin on this
   * organization's ids): anything but a refusal is a breach of S1.
   */
  mustRefuse: boolean;
}

/** Real ids of one organization, by the names paths and bodies give them. */
export type Fixtures = Record<string, string>;

export interface CaseContext {
  own: Fixtures;
  foreign: Fixtures;
  /** Shaped like an API-key secret: no error body may quote it (S2). */
  canary: string;
}

const JSON_TYPE = { 'content-type': 'application/json' };
/** Replaced, quotes and all, by raw bytes once the rest of the body is serialised. */
const RAW = '\u0001fuzz-raw\u0001';

const DEEP = 1_500;
const MB = 1024 * 1024;

/** Values of every JSON type; each field gets those its schema does not ask for. */
const WRONG_TYPES: JsonValue[] = [
  null,
  true,
  0,
  -1,
  3.5,
  1e308,
  '',
  'x',
  '0',
  [],
  [[]],
  [null],
  {},
  { a: { b: [] } },
];

const STRING_ABUSE: { label: string; value?: string; bytes?: number[] }[] = [
  { label: 'lone high surrogate', value: '\ud800' },
  { label: 'lone low surrogate', value: 'a\udc00b' },
  { label: 'two high surrogates', value: '\udbff\udbff@acme.test' },
  { label: 'NUL', value: 'a\u0000b' },
  { label: 'RTL override', value: '\u202eevil' },
  { label: 'BOM', value: '\ufeff' },
  { label: 'combining mark', value: 'e\u0301' },
  { label: 'emoji', value: '😀@acme.test' },
  { label: 'invalid byte 0xFF', bytes: [0xff] },
  { label: 'overlong slash', bytes: [0xc0, 0xaf] },
  { label: 'UTF-8 encoded surrogate', bytes: [0xed, 0xa0, 0x80] },
  { label: 'truncated sequence', bytes: [0xe2, 0x82] },
];

/** Path segments, already percent-encoded, that are not the id a route expects. */
function badPathIds(
  context: CaseContext,
  real: string,
  prng: Prng,
): { label: string; raw: string }[] {
  return [
    { label: 'short', raw: 'x' },
    { label: 'zero', raw: '0' },
    { label: 'negative', raw: '-1' },
    { label: 'huge number', raw: '1e309' },
    { label: 'null', raw: 'null' },
    { label: '__proto__', raw: '__proto__' },
    { label: 'constructor', raw: 'constructor' },
    { label: 'dot dot', raw: '%2e%2e' },
    { label: 'traversal', raw: '..%2F..%2Fetc%2Fpasswd' },
    { label: 'NUL', raw: '%00' },
    { label: 'bad percent byte', raw: '%FF' },
    { label: 'encoded surrogate', raw: '%ED%A0%80' },
    { label: 'overlong', raw: '%C0%AF' },
    { label: 'broken escape', raw: '%zz' },
    { label: 'lone percent', raw: '%' },
    { label: 'long', raw: 'a'.repeat(300) },
    { label: 'secret-shaped', raw: context.canary },
    { label: 'uppercase real id', raw: real.toUpperCase() },
    { label: 'real id with suffix', raw: `${real}x` },
    { label: 'real id with space', raw: `${real}%20` },
    { label: 'RTL override', raw: '%E2%80%AE' },
    { label: 'emoji', raw: encodeURIComponent('😀') },
    { label: 'unknown uuid', raw: prng.uuid() },
  ];
}

const QUERY_VALUES: { label: string; raw: string }[] = [
  { label: 'empty', raw: '' },
  { label: 'word', raw: 'x' },
  { label: 'negative', raw: '-1' },
  { label: 'zero', raw: '0' },
  { label: 'fraction', raw: '1.5' },
  { label: 'overflowing float', raw: '1e309' },
  { label: 'huge integer', raw: '99999999999999999999999' },
  { label: 'NaN', raw: 'NaN' },
  { label: 'bad percent byte', raw: '%FF' },
  { label: 'encoded surrogate', raw: '%ED%A0%80' },
  { label: 'long', raw: 'q'.repeat(4_000) },
];

/**
 * Query strings any route might meet. A `minPosition` the store has not reached is left out:
 * it waits out READ_YOUR_WRITES_TIMEOUT_MS and answers 503 by design (R35), the query side's
 * call, and would make the suite slow.
 */
function queryAbuse(context: CaseContext): { label: string; raw: string }[] {
  return [
    { label: 'minPosition word', raw: 'minPosition=garbage' },
    { label: 'minPosition negative', raw: 'minPosition=-1' },
    { label: 'minPosition fraction', raw: 'minPosition=1.5' },
    { label: 'minPosition hex', raw: 'minPosition=0x10' },
    { label: 'minPosition fullwidth digit', raw: 'minPosition=%EF%BC%91' },
    { label: 'minPosition repeated', raw: 'minPosition=1&minPosition=2' },
    { label: 'minPosition array', raw: 'minPosition[]=1' },
    { label: 'minPosition object', raw: 'minPosition[a]=1' },
    { label: 'minPosition too long', raw: `minPosition=${'9'.repeat(31)}` },
    { label: 'minPosition empty', raw: 'minPosition=' },
    { label: 'minPosition zero', raw: 'minPosition=0' },
    { label: '__proto__', raw: '__proto__=x' },
    { label: '__proto__ object', raw: '__proto__[isAdmin]=true' },
    { label: 'constructor prototype', raw: 'constructor[prototype][isAdmin]=true' },
    { label: 'toString', raw: 'toString=1&hasOwnProperty=1&valueOf=1' },
    { label: 'arrays', raw: 'a[]=1&a[]=2&limit[]=1' },
    { label: 'separators only', raw: '&&=&==&' },
    { label: 'many params', raw: Array.from({ length: 1_500 }, (_, i) => `k${i}=v`).join('&') },
    { label: 'secret-shaped cursor', raw: `limit=1&cursor=${context.canary}` },
    { label: 'secret-shaped value', raw: `after=${context.canary}&status=${context.canary}` },
  ];
}

/** The requests of one operation, by category, in a stable order for a given seed. */
export function casesOf(operation: Operation, context: CaseContext, prng: Prng): FuzzCase[] {
  const factory = new CaseFactory(operation, context, prng);
  return [
    ...factory.auth(),
    ...factory.pathIds(),
    ...factory.foreignIds(),
    ...factory.query(),
    ...factory.body(),
  ];
}

/** One random request: several mutations at once, from every category's material. */
export function randomCase(operation: Operation, context: CaseContext, prng: Prng): FuzzCase {
  return new CaseFactory(operation, context, prng).random();
}

/** The request the operation is documented to take, with the organization's real ids. */
export function validCase(operation: Operation, context: CaseContext, prng: Prng): FuzzCase {
  return new CaseFactory(operation, context, prng).valid();
}

class CaseFactory {
  private readonly base: JsonValue | undefined;
  private readonly fields: Field[];

  constructor(
    private readonly operation: Operation,
    private readonly context: CaseContext,
    private readonly prng: Prng,
  ) {
    this.base = operation.body ? exampleOf(operation.body, (name) => this.idFor(name)) : undefined;
    this.fields = operation.body ? fieldsOf(operation.body) : [];
  }

  valid(): FuzzCase {
    return this.make('random', 'documented request', { body: this.json(this.base) });
  }

  auth(): FuzzCase[] {
    if (!this.operation.secured) return [];
    const actors: ActorName[] = ['none', 'forged', 'secret', 'foreign', 'auditor'];
    return actors.map((actor) =>
      this.make('auth', `as ${actor}`, { actor, body: this.json(this.base) }),
    );
  }

  pathIds(): FuzzCase[] {
    return this.operation.pathParams.flatMap((param) =>
      badPathIds(this.context, this.ownId(param), this.prng).map(({ label, raw }) =>
        this.make('path-id', `${param}: ${label}`, {
          path: this.path({ [param]: raw }),
          body: this.json(this.base),
        }),
      ),
    );
  }

  foreignIds(): FuzzCase[] {
    const params = this.operation.pathParams;
    if (params.length === 0) return [];
    const foreign = (param: string) => this.context.foreign[param] ?? this.prng.uuid();
    const one = params.map((param) =>
      this.make('foreign-id', `${param} of another organization`, {
        path: this.path({ [param]: foreign(param) }),
        body: this.json(this.base),
      }),
    );
    const all = this.make('foreign-id', 'every id of another organization', {
      path: this.path(Object.fromEntries(params.map((param) => [param, foreign(param)]))),
      body: this.json(this.base),
    });
    const bodyIds = this.fields
      .filter((field) => field.schema.format === 'uuid')
      .map((field) =>
        this.make('foreign-id', `body ${field.path.join('.')} of another organization`, {
          body: this.json(
            withAt(
              this.base!,
              field.path,
              this.context.foreign[this.idName(field.name)] ?? this.prng.uuid(),
            ),
          ),
        }),
      );
    return [...one, all, ...bodyIds];
  }

  query(): FuzzCase[] {
    const declared = this.operation.queryParams.flatMap((param) => [
      ...QUERY_VALUES.map(({ label, raw }) =>
        this.make('query', `${param}: ${label}`, { query: `${param}=${raw}` }),
      ),
      this.make('query', `${param}: repeated`, { query: `${param}=1&${param}=2` }),
      this.make('query', `${param}: array`, { query: `${param}[]=1` }),
      this.make('query', `${param}: object`, { query: `${param}[a]=1` }),
      this.make('query', `${param}: secret-shaped`, { query: `${param}=${this.context.canary}` }),
    ]);
    const general = queryAbuse(this.context).map(({ label, raw }) =>
      this.make('query', label, { query: raw }),
    );
    return [...declared, ...general];
  }

  body(): FuzzCase[] {
    if (this.base === undefined) {
      // A route without a documented body must still refuse one it cannot use.
      return [
        this.make('malformed-json', 'unexpected malformed body', { body: Buffer.from('{"a":') }),
        this.make('deep', `unexpected body ${DEEP} levels deep`, { body: this.nested(DEEP) }),
        this.make('media-type', 'unexpected form body', {
          body: Buffer.from('a=1'),
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
        }),
      ];
    }
    return [
      ...this.malformed(),
      ...this.mediaTypes(),
      ...this.topLevel(),
      ...this.missing(),
      ...this.unknown(),
      ...this.wrongTypes(),
      ...this.deep(),
      ...this.huge(),
      ...this.unicode(),
      ...this.bodyIds(),
    ];
  }

  private malformed(): FuzzCase[] {
    const text = JSON.stringify(this.base);
    const bodies = [
      '{',
      '{"',
      '{"a":}',
      '[',
      'nul',
      "{'a':1}",
      '{"a":1,}',
      `${text}}`,
      '{"a" 1}',
      '\u0000',
      ' ',
      '{"a":NaN}',
      '{"a":"\\x"}',
      '"\\u12"',
      `${text}x`,
      text.slice(0, Math.ceil(text.length / 2)),
    ];
    return bodies.map((body) =>
      this.make('malformed-json', `malformed: ${body.slice(0, 24)}`, { body: Buffer.from(body) }),
    );
  }

  private mediaTypes(): FuzzCase[] {
    const body = this.json(this.base);
    const types = [
      'text/plain',
      'application/x-www-form-urlencoded',
      'multipart/form-data; boundary=x',
      'application/xml',
      '*/*',
      'application/json; charset=latin1',
      'application/json; charset=utf-16',
      'application/json;;;charset',
      'application/vnd.api+json',
    ];
    return [
      ...types.map((type) =>
        this.make('media-type', `Content-Type ${type}`, {
          body,
          headers: { 'content-type': type },
        }),
      ),
      this.make('media-type', 'no Content-Type', { body, headers: {} }),
      this.make('media-type', 'gzip that is not', {
        body,
        headers: { ...JSON_TYPE, 'content-encoding': 'gzip' },
      }),
      this.make('media-type', 'form encoding of the fields', {
        body: Buffer.from(this.formOf(this.base)),
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      }),
    ];
  }

  private topLevel(): FuzzCase[] {
    const bodies = [
      'null',
      '7',
      '"s"',
      'true',
      '[]',
      '[{}]',
      JSON.stringify([this.base]),
      '{}',
      '""',
    ];
    return bodies.map((body) =>
      this.make('top-level', `top level ${body.slice(0, 16)}`, { body: Buffer.from(body) }),
    );
  }

  private missing(): FuzzCase[] {
    return requiredOf(this.operation.body!).map((path) =>
      this.make('missing', `without ${path.join('.')}`, {
        body: this.json(withAt(this.base!, path, undefined)),
      }),
    );
  }

  private unknown(): FuzzCase[] {
    const text = JSON.stringify(this.base);
    const inject = (member: string) =>
      Buffer.from(text === '{}' ? `{${member}}` : text.replace(/^\{/, `{${member},`));
    const nested = this.fields
      .filter((field) => field.schema.properties)
      .map((field) =>
        this.make('unknown', `unknown field in ${field.path.join('.')}`, {
          body: this.json(withAt(this.base!, [...field.path, 'unexpected'], 1)),
        }),
      );
    return [
      this.make('unknown', 'unknown field', { body: inject('"unexpected":1') }),
      this.make('unknown', '__proto__', { body: inject('"__proto__":{"isAdmin":true}') }),
      this.make('unknown', 'constructor.prototype', {
        body: inject('"constructor":{"prototype":{"isAdmin":true}}'),
      }),
      this.make('unknown', 'duplicate keys', { body: inject('"unexpected":1,"unexpected":2') }),
      ...nested,
    ];
  }

  private wrongTypes(): FuzzCase[] {
    return this.fields.flatMap((field) =>
      WRONG_TYPES.filter((value) => !fits(value, field)).map((value) =>
        this.make('wrong-type', `${field.path.join('.')} <- ${JSON.stringify(value)}`, {
          body: this.json(withAt(this.base!, field.path, value)),
        }),
      ),
    );
  }

  private deep(): FuzzCase[] {
    const levels = [DEEP, 10_000, 33, 31];
    const topLevel = levels.map((n) =>
      this.make('deep', `body ${n} levels deep`, { body: this.nested(n) }),
    );
    const objects = this.make('deep', `objects ${DEEP} levels deep`, {
      body: Buffer.from(`${'{"a":'.repeat(DEEP)}1${'}'.repeat(DEEP)}`),
    });
    const inFields = this.fields.map((field) =>
      this.make('deep', `${field.path.join('.')} ${DEEP} levels deep`, {
        body: this.spliced(withAt(this.base!, field.path, RAW), this.nested(DEEP)),
      }),
    );
    return [...topLevel, objects, ...inFields];
  }

  private huge(): FuzzCase[] {
    const strings = this.fields.filter((field) => field.schema.type === 'string');
    const arrays = this.fields.filter((field) => field.schema.type === 'array');
    return [
      this.make('huge', 'padding past the size limit', {
        body: Buffer.concat([Buffer.from(' '.repeat(2 * MB)), this.json(this.base)!]),
      }),
      ...strings.flatMap((field) => [
        this.make('huge', `${field.path.join('.')} of 1.1 MB`, {
          body: this.json(withAt(this.base!, field.path, 'x'.repeat(Math.round(1.1 * MB)))),
        }),
        this.make('huge', `${field.path.join('.')} of 300 KB`, {
          body: this.json(withAt(this.base!, field.path, 'x'.repeat(300_000))),
        }),
      ]),
      ...arrays.flatMap((field) => {
        const element = exampleOf(field.schema.items ?? {}, (name) => this.idFor(name), field.name);
        return [
          this.make('huge', `${field.path.join('.')} of 100,000 elements`, {
            body: this.json(withAt(this.base!, field.path, Array(100_000).fill(element))),
          }),
          this.make('huge', `${field.path.join('.')} of 1,001 elements`, {
            body: this.json(withAt(this.base!, field.path, Array(1_001).fill(element))),
          }),
          this.make('huge', `${field.path.join('.')} of 50,000 numbers`, {
            body: this.json(withAt(this.base!, field.path, Array(50_000).fill(0))),
          }),
        ];
      }),
    ];
  }

  private unicode(): FuzzCase[] {
    const strings = this.fields.filter((field) => field.schema.type === 'string');
    const inValues = strings.flatMap((field) =>
      STRING_ABUSE.map(({ label, value, bytes }) =>
        this.make('unicode', `${field.path.join('.')}: ${label}`, {
          body: bytes
            ? this.spliced(withAt(this.base!, field.path, RAW), Buffer.from(bytes), true)
            : this.json(withAt(this.base!, field.path, value!)),
        }),
      ),
    );
    const text = JSON.stringify(this.base);
    const key = (name: string) =>
      text === '{}' ? `{${name}:1}` : text.replace(/^\{/, `{${name}:1,`);
    return [
      ...inValues,
      this.make('unicode', 'a key with a lone surrogate', { body: Buffer.from(key('"\\ud800"')) }),
      this.make('unicode', 'a key of invalid bytes', {
        body: this.spliced(
          { [RAW]: 1, ...(this.base as Record<string, JsonValue>) },
          Buffer.from([0x22, 0xff, 0xfe, 0x22]),
        ),
      }),
      this.make('unicode', 'a UTF-16 body', {
        body: Buffer.from(text, 'utf16le'),
      }),
      this.make('unicode', 'a UTF-8 BOM', {
        body: Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)]),
      }),
    ];
  }

  private bodyIds(): FuzzCase[] {
    const ids = this.fields.filter(
      (field) => field.schema.format === 'uuid' || /id$/i.test(field.name),
    );
    return ids.flatMap((field) =>
      [
        { label: 'unknown', value: this.prng.uuid() },
        { label: 'malformed', value: 'x' },
        { label: 'secret-shaped', value: this.context.canary },
        { label: 'uppercase', value: this.idFor(field.name).toUpperCase() },
        { label: 'with a space', value: `${this.idFor(field.name)} ` },
        { label: 'traversal', value: '../../etc/passwd' },
      ].map(({ label, value }) =>
        this.make('body-id', `${field.path.join('.')}: ${label}`, {
          body: this.json(withAt(this.base!, field.path, value)),
        }),
      ),
    );
  }

  random(): FuzzCase {
    const prng = this.prng;
    const actor: ActorName =
      prng.next() < 0.8 ? 'primary' : prng.pick(['none', 'forged', 'secret', 'foreign', 'auditor']);
    const params = Object.fromEntries(
      this.operation.pathParams
        .filter(() => prng.next() < 0.3)
        .map((param) => [
          param,
          prng.next() < 0.5
            ? (this.context.foreign[param] ?? prng.uuid())
            : prng.pick(badPathIds(this.context, this.ownId(param), prng)).raw,
        ]),
    );
    const query =
      prng.next() < 0.3
        ? prng.pick([
            ...queryAbuse(this.context),
            ...QUERY_VALUES.map((v) => ({ ...v, raw: `limit=${v.raw}` })),
          ]).raw
        : undefined;
    let body = this.base;
    if (body !== undefined) {
      const mutations = 1 + prng.int(3);
      for (let i = 0; i < mutations && this.fields.length > 0; i++) {
        const field = prng.pick(this.fields);
        body = withAt(
          body,
          field.path,
          prng.next() < 0.2 ? undefined : randomJson(prng, 0, this.context),
        );
      }
    }
    const ownOrganization = !('orgId' in params) || params.orgId !== this.context.foreign.orgId;
    return this.make('random', 'random mutations', {
      actor,
      mustRefuse:
        ['none', 'forged', 'secret'].includes(actor) || (actor === 'foreign' && ownOrganization),
      path: this.path(params, query),
      body: body === undefined ? undefined : this.json(body),
    });
  }

  private make(
    category: Category,
    label: string,
    {
      actor = 'primary',
      mustRefuse = actor !== 'primary' && actor !== 'auditor',
      path,
      query,
      body,
      headers,
    }: {
      actor?: ActorName;
      mustRefuse?: boolean;
      path?: string;
      query?: string;
      body?: Buffer;
      headers?: Record<string, string>;
    },
  ): FuzzCase {
    return {
      category,
      label,
      method: this.operation.method,
      path: path ?? this.path({}, query),
      headers: headers ?? (body ? JSON_TYPE : {}),
      body,
      actor,
      mustRefuse: this.operation.secured && mustRefuse,
    };
  }

  private path(overrides: Record<string, string>, query?: string): string {
    const path = this.operation.template.replace(/\{([^}]+)\}/g, (_, name: string) =>
      name in overrides ? overrides[name] : encodeURIComponent(this.ownId(name)),
    );
    return query === undefined ? path : `${path}?${query}`;
  }

  /** Path parameters the fixtures do not know (a route added later) get a fresh UUID. */
  private ownId(param: string): string {
    return this.context.own[param] ?? this.prng.uuid();
  }

  /** `projectIds` holds `projectId`s. */
  private idName(name: string): string {
    return name.endsWith('Ids') ? name.slice(0, -1) : name;
  }

  private idFor(name: string): string {
    return this.context.own[this.idName(name)] ?? this.prng.uuid();
  }

  private json(value: JsonValue | undefined): Buffer | undefined {
    return value === undefined ? undefined : Buffer.from(JSON.stringify(value));
  }

  private nested(levels: number): Buffer {
    return Buffer.from(`${'['.repeat(levels)}${']'.repeat(levels)}`);
  }

  /** The value serialised, with its RAW marker replaced by `raw` (inside quotes if `inString`). */
  private spliced(value: JsonValue, raw: Buffer, inString = false): Buffer {
    const marker = JSON.stringify(RAW);
    const [before, after] = JSON.stringify(value).split(marker);
    return inString
      ? Buffer.concat([Buffer.from(`${before}"`), raw, Buffer.from(`"${after}`)])
      : Buffer.concat([Buffer.from(before), raw, Buffer.from(after)]);
  }

  /** The body as a form would send it, nested fields in brackets (`firstUser[email]=…`). */
  private formOf(value: JsonValue | undefined, prefix = ''): string {
    if (value === null || typeof value !== 'object') {
      return `${encodeURIComponent(prefix)}=${encodeURIComponent(String(value))}`;
    }
    return Object.entries(value)
      .map(([key, item]) => this.formOf(item, prefix ? `${prefix}[${key}]` : key))
      .join('&');
  }
}

/** Whether a value already has the type a field asks for (then it is no wrong type). */
function fits(value: JsonValue, { schema }: Field): boolean {
  switch (schema.type) {
    case 'string':
      return typeof value === 'string';
    case 'boolean':
      return typeof value === 'boolean';
    case 'integer':
    case 'number':
      return typeof value === 'number';
    case 'array':
      return Array.isArray(value);
    default:
      return value !== null && typeof value === 'object' && !Array.isArray(value);
  }
}

const RANDOM_STRINGS = ['', 'x', '\ud800', '\udc00', 'a@b.io', '\u0000', '😀', ' ', '__proto__'];

function randomJson(prng: Prng, depth: number, context: CaseContext): JsonValue {
  switch (prng.int(depth > 3 ? 5 : 7)) {
    case 0:
      return null;
    case 1:
      return prng.next() < 0.5;
    case 2:
      return prng.pick([0, -1, 1.5, 2 ** 53, -(2 ** 63), 1e308, Number.MIN_VALUE]);
    case 3:
      return prng.pick([...RANDOM_STRINGS, context.canary, prng.uuid(), prng.token(prng.int(300))]);
    case 4:
      return prng.pick(Object.values(context.foreign));
    case 5:
      return Array.from({ length: prng.int(4) }, () => randomJson(prng, depth + 1, context));
    default:
      return Object.fromEntries(
        Array.from({ length: prng.int(4) }, () => [
          prng.pick(['a', 'type', 'id', 'email', '__proto__', '\ud800']),
          randomJson(prng, depth + 1, context),
        ]),
      );
  }
}
