/** The part of an OpenAPI 3 document the fuzz suite reads. */
export interface Schema {
  type?: string;
  format?: string;
  enum?: unknown[];
  example?: unknown;
  default?: unknown;
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  allOf?: Schema[];
  $ref?: string;
}

export interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required?: boolean;
}

interface OperationObject {
  operationId?: string;
  parameters?: Parameter[];
  requestBody?: { content?: Record<string, { schema?: Schema }> };
  security?: unknown[];
  responses?: Record<string, unknown>;
}

export interface OpenApiDocument {
  paths: Record<string, Record<string, OperationObject>>;
  components?: { schemas?: Record<string, Schema> };
}

/** One operation of the document, with its body schema resolved. */
export interface Operation {
  id: string;
  method: string;
  /** As in the document: `/v1/orgs/{orgId}/roles`. */
  template: string;
  pathParams: string[];
  queryParams: string[];
  body?: Schema;
  /** Whether the document says the operation needs a bearer token. */
  secured: boolean;
  /** The statuses the document says the operation answers. */
  statuses: number[];
}

const METHODS = new Set(['get', 'put', 'post', 'delete', 'patch', 'head', 'options']);

export function operationsOf(document: OpenApiDocument): Operation[] {
  const resolve = resolver(document);
  return Object.entries(document.paths).flatMap(([template, item]) =>
    Object.entries(item)
      .filter(([method]) => METHODS.has(method))
      .map(([method, operation]) => {
        const parameters = operation.parameters ?? [];
        const body = operation.requestBody?.content?.['application/json']?.schema;
        return {
          id: `${method.toUpperCase()} ${template}`,
          method: method.toUpperCase(),
          template,
          pathParams: parameters.filter((p) => p.in === 'path').map((p) => p.name),
          queryParams: parameters.filter((p) => p.in === 'query').map((p) => p.name),
          body: body ? resolve(body) : undefined,
          secured: (operation.security ?? []).length > 0,
          statuses: Object.keys(operation.responses ?? {}).map(Number),
        };
      }),
  );
}

/** Inlines `$ref` and single-element `allOf`, so the generators see plain schemas. */
function resolver(document: OpenApiDocument): (schema: Schema) => Schema {
  const resolve = (schema: Schema, depth = 0): Schema => {
    if (depth > 16) return {};
    if (schema.$ref) {
      const name = schema.$ref.replace('#/components/schemas/', '');
      const { $ref, ...rest } = schema;
      void $ref;
      return resolve({ ...(document.components?.schemas?.[name] ?? {}), ...rest }, depth + 1);
    }
    if (schema.allOf) {
      const { allOf, ...rest } = schema;
      return resolve(
        Object.assign({}, ...allOf.map((s) => resolve(s, depth + 1)), rest),
        depth + 1,
      );
    }
    const resolved: Schema = { ...schema };
    if (schema.items) resolved.items = resolve(schema.items, depth + 1);
    if (schema.properties) {
      resolved.properties = Object.fromEntries(
        Object.entries(schema.properties).map(([key, value]) => [key, resolve(value, depth + 1)]),
      );
    }
    return resolved;
  };
  return (schema) => resolve(schema);
}

export type JsonValue =
  null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };
export type JsonPath = (string | number)[];

/**
 * A value the schema accepts, as far as shapes go: examples, the first enum value, or, for an
 * id, the real id `idFor` knows by the property's name — so a mutation of one field leaves the
 * others valid and the request gets as deep as validation lets it.
 */
export function exampleOf(
  schema: Schema,
  idFor: (name: string) => string,
  name = '',
  depth = 0,
): JsonValue {
  if (schema.example !== undefined && schema.format !== 'uuid') return schema.example as JsonValue;
  if (schema.enum?.length) return schema.enum[0] as JsonValue;
  if (schema.default !== undefined) return schema.default as JsonValue;
  switch (schema.type) {
    case 'array':
      return depth > 8 ? [] : [exampleOf(schema.items ?? {}, idFor, name, depth + 1)];
    case 'boolean':
      return false;
    case 'integer':
    case 'number':
      return 1;
    case 'string':
      return schema.format === 'uuid' ? idFor(name) : 'fuzz';
    default:
      if (!schema.properties || depth > 8) return {};
      return Object.fromEntries(
        Object.entries(schema.properties).map(([key, property]) => [
          key,
          exampleOf(property, idFor, key, depth + 1),
        ]),
      );
  }
}

/** Every field of a schema, nested objects and array elements included (`principals.0.id`). */
export interface Field {
  path: JsonPath;
  name: string;
  schema: Schema;
}

export function fieldsOf(schema: Schema, path: JsonPath = [], depth = 0): Field[] {
  if (depth > 8) return [];
  const fields: Field[] = [];
  for (const [key, property] of Object.entries(schema.properties ?? {})) {
    const at = [...path, key];
    fields.push({ path: at, name: key, schema: property });
    if (property.type === 'array' && property.items) {
      fields.push({ path: [...at, 0], name: key, schema: property.items });
      fields.push(...fieldsOf(property.items, [...at, 0], depth + 1));
    } else {
      fields.push(...fieldsOf(property, at, depth + 1));
    }
  }
  return fields;
}

/** The objects of a schema that list required fields, with where they sit. */
export function requiredOf(schema: Schema, path: JsonPath = [], depth = 0): JsonPath[] {
  if (depth > 8) return [];
  const own = (schema.required ?? []).map((key) => [...path, key]);
  const nested = Object.entries(schema.properties ?? {}).flatMap(([key, property]) =>
    property.type === 'array' && property.items
      ? requiredOf(property.items, [...path, key, 0], depth + 1)
      : requiredOf(property, [...path, key], depth + 1),
  );
  return [...own, ...nested];
}

/** A copy of `value` with the node at `path` replaced (or, with `undefined`, removed). */
export function withAt(
  value: JsonValue,
  path: JsonPath,
  replacement: JsonValue | undefined,
): JsonValue {
  if (path.length === 0) return replacement ?? null;
  const copy = structuredClone(value);
  let node: JsonValue = copy;
  for (const key of path.slice(0, -1)) {
    const child: JsonValue | undefined = (node as Record<string | number, JsonValue>)[key];
    if (child === null || typeof child !== 'object') return copy;
    node = child;
  }
  const last = path[path.length - 1];
  if (node === null || typeof node !== 'object') return copy;
  const container = node as Record<string | number, JsonValue>;
  if (replacement === undefined) {
    if (Array.isArray(node) && typeof last === 'number') node.splice(last, 1);
    else delete container[last];
  } else {
    container[last] = replacement;
  }
  return copy;
}
