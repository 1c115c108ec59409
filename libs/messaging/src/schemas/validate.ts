import type { JsonSchema, JsonType } from './json-schema.js';

/** One reason a value does not match its schema, at a JSON pointer. */
export interface SchemaViolation {
  path: string;
  message: string;
}

const KNOWN_KEYWORDS = new Set([
  '$schema',
  '$id',
  'title',
  'description',
  'type',
  'enum',
  'const',
  'properties',
  'required',
  'additionalProperties',
  'items',
  'minItems',
  'uniqueItems',
  'minLength',
  'maxLength',
  'pattern',
  'format',
  'minimum',
]);

// Deliberately loose: "an address with an @ and a dot after it", not RFC 5321.
const EMAIL = /^[^\s@]+@[^\s@]+$/;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

/**
 * A small JSON Schema checker for the subset in json-schema.ts (no dependency: ajv is not in
 * this repository). A keyword outside the subset throws, so a schema can never rely on a
 * check this validator silently skips. Returns every violation; [] means valid.
 */
export function validate(schema: JsonSchema, value: unknown, path = ''): SchemaViolation[] {
  for (const keyword of Object.keys(schema)) {
    if (!KNOWN_KEYWORDS.has(keyword)) {
      throw new TypeError(`Schema keyword ${keyword} at ${path || '/'} is not supported.`);
    }
  }
  const at = path || '/';
  const fail = (message: string): SchemaViolation[] => [{ path: at, message }];

  if (schema.type !== undefined) {
    const types = Array.isArray(schema.type) ? schema.type : [schema.type];
    if (!types.some((type) => hasType(value, type))) {
      return fail(`expected ${types.join(' or ')}, got ${describe(value)}`);
    }
  }
  if (schema.const !== undefined && value !== schema.const) {
    return fail(`expected ${JSON.stringify(schema.const)}`);
  }
  if (schema.enum && !schema.enum.includes(value as never)) {
    return fail(`expected one of ${schema.enum.map((v) => JSON.stringify(v)).join(', ')}`);
  }
  if (typeof value === 'string') return validateString(schema, value, at);
  if (typeof value === 'number') {
    return schema.minimum !== undefined && value < schema.minimum
      ? fail(`must be at least ${schema.minimum}`)
      : [];
  }
  if (Array.isArray(value)) return validateArray(schema, value, path);
  if (isObject(value)) return validateObject(schema, value, path);
  return [];
}

function validateString(schema: JsonSchema, value: string, at: string): SchemaViolation[] {
  const violations: SchemaViolation[] = [];
  const length = [...value].length;
  if (schema.minLength !== undefined && length < schema.minLength) {
    violations.push({ path: at, message: `shorter than ${schema.minLength}` });
  }
  if (schema.maxLength !== undefined && length > schema.maxLength) {
    violations.push({ path: at, message: `longer than ${schema.maxLength}` });
  }
  if (schema.pattern !== undefined && !new RegExp(schema.pattern, 'u').test(value)) {
    violations.push({ path: at, message: `does not match ${schema.pattern}` });
  }
  if (schema.format === 'email' && !EMAIL.test(value)) {
    violations.push({ path: at, message: 'not an email address' });
  }
  if (schema.format === 'date-time' && (!DATE_TIME.test(value) || isNaN(Date.parse(value)))) {
    violations.push({ path: at, message: 'not an RFC 3339 date-time' });
  }
  return violations;
}

function validateArray(schema: JsonSchema, value: unknown[], path: string): SchemaViolation[] {
  const violations: SchemaViolation[] = [];
  if (schema.minItems !== undefined && value.length < schema.minItems) {
    violations.push({ path: path || '/', message: `fewer than ${schema.minItems} items` });
  }
  if (schema.uniqueItems) {
    const seen = new Set(value.map((item) => JSON.stringify(item)));
    if (seen.size !== value.length) {
      violations.push({ path: path || '/', message: 'items are not unique' });
    }
  }
  if (schema.items) {
    const items = schema.items;
    value.forEach((item, i) => violations.push(...validate(items, item, `${path}/${i}`)));
  }
  return violations;
}

function validateObject(
  schema: JsonSchema,
  value: Record<string, unknown>,
  path: string,
): SchemaViolation[] {
  const violations: SchemaViolation[] = [];
  for (const name of schema.required ?? []) {
    if (!Object.hasOwn(value, name)) {
      violations.push({ path: `${path}/${name}`, message: 'is required' });
    }
  }
  for (const [name, item] of Object.entries(value)) {
    const property = schema.properties?.[name];
    if (property) violations.push(...validate(property, item, `${path}/${name}`));
    else if (schema.additionalProperties === false) {
      violations.push({ path: `${path}/${name}`, message: 'is not allowed' });
    }
  }
  return violations;
}

function hasType(value: unknown, type: JsonType): boolean {
  switch (type) {
    case 'null':
      return value === null;
    case 'array':
      return Array.isArray(value);
    case 'object':
      return isObject(value);
    case 'integer':
      return Number.isInteger(value);
    case 'number':
      return typeof value === 'number' && Number.isFinite(value);
    default:
      return typeof value === type;
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}
