import { Ajv, type ValidateFunction } from 'ajv';

/*
 * Whether an answer is what the OpenAPI document says it is: the body against the schema the
 * document gives that operation and status (ajv, OpenAPI 3.0's `nullable` included), and no
 * property the schema does not name — an undocumented field is one a generated client drops,
 * or a leak (S2).
 */

type Schema = Record<string, unknown>;

interface Operation {
  responses?: Record<string, { content?: Record<string, { schema?: Schema }> }>;
}

export interface AnsweredDocument {
  paths: Record<string, Record<string, Operation | unknown>>;
  components?: { schemas?: Record<string, Schema> };
}

const COMPONENTS = '#/components/schemas/';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/i;

interface Validators {
  ajv: Ajv;
  bySchema: Map<string, ValidateFunction>;
}

const validators = new WeakMap<AnsweredDocument, Validators>();

/**
 * What is wrong with `body` as the answer `status` of `method template` (`template` as the
 * document spells it, `/v1/orgs/{orgId}/roles`); nothing when it is what the document says.
 */
export function answerProblems(
  document: AnsweredDocument,
  method: string,
  template: string,
  status: number,
  body: unknown,
): string[] {
  const operation = document.paths[template]?.[method.toLowerCase()] as Operation | undefined;
  const where = `${method.toUpperCase()} ${template} ${status}`;
  if (operation === undefined)
    return [`${method.toUpperCase()} ${template} is not in the document`];
  const response = operation.responses?.[String(status)];
  if (response === undefined) return [`${where}: the document lists no such answer`];
  const schema = response.content?.['application/json']?.schema;
  if (schema === undefined) return [`${where}: the document gives no application/json schema`];
  const validate = validatorOf(document, schema);
  const problems = validate(body)
    ? []
    : (validate.errors ?? []).map(
        (error) => `${where}: ${error.instancePath || '/'} ${error.message} (${error.schemaPath})`,
      );
  const schemas = document.components?.schemas ?? {};
  return [...problems, ...undocumented(schemas, schema, body, '').map((p) => `${where}: ${p}`)];
}

function validatorOf(document: AnsweredDocument, schema: Schema): ValidateFunction {
  let known = validators.get(document);
  if (known === undefined) {
    const ajv = new Ajv({ strict: false, allErrors: true });
    ajv.addFormat('uuid', UUID);
    ajv.addFormat(
      'date-time',
      (value: string) => DATE_TIME.test(value) && !Number.isNaN(Date.parse(value)),
    );
    ajv.addSchema({ $id: 'openapi', definitions: withAjvRefs(document.components?.schemas ?? {}) });
    known = { ajv, bySchema: new Map() };
    validators.set(document, known);
  }
  const key = JSON.stringify(schema);
  let validate = known.bySchema.get(key);
  if (validate === undefined) {
    validate = known.ajv.compile(withAjvRefs(schema) as Schema);
    known.bySchema.set(key, validate);
  }
  return validate;
}

/** `#/components/schemas/X` → `openapi#/definitions/X`, the schema ajv was given them in. */
function withAjvRefs(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withAjvRefs);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, child]) =>
      key === '$ref' && typeof child === 'string' && child.startsWith(COMPONENTS)
        ? [key, `openapi#/definitions/${child.slice(COMPONENTS.length)}`]
        : [key, withAjvRefs(child)],
    ),
  );
}

/**
 * The properties of `value` its schema does not name, at any depth. An object schema with no
 * `properties`, or `additionalProperties`, is open; `allOf` names the union of its branches'
 * properties; of `oneOf`/`anyOf`, the branch that leaves the fewest unnamed counts.
 */
function undocumented(
  schemas: Record<string, Schema>,
  schema: Schema | undefined,
  value: unknown,
  path: string,
): string[] {
  const resolved = resolve(schemas, schema);
  if (resolved === undefined || value === null || typeof value !== 'object') return [];
  const alternatives = (resolved.oneOf ?? resolved.anyOf) as Schema[] | undefined;
  if (alternatives) {
    const each = alternatives.map((branch) => undocumented(schemas, branch, value, path));
    return each.reduce((fewest, problems) => (problems.length < fewest.length ? problems : fewest));
  }
  if (Array.isArray(value)) {
    const items = resolved.items as Schema | undefined;
    return value.flatMap((item, index) => undocumented(schemas, items, item, `${path}/${index}`));
  }
  const shape = shapeOf(schemas, resolved);
  return Object.entries(value).flatMap(([key, child]) => {
    const property = shape.properties[key];
    if (property !== undefined) return undocumented(schemas, property, child, `${path}/${key}`);
    return shape.open ? [] : [`${path}/${key} is answered but not documented`];
  });
}

function shapeOf(
  schemas: Record<string, Schema>,
  schema: Schema,
): { properties: Record<string, Schema>; open: boolean } {
  const flatten = (branch: Schema | undefined): Schema[] => {
    const resolved = resolve(schemas, branch);
    if (resolved === undefined) return [];
    return [resolved, ...((resolved.allOf as Schema[] | undefined) ?? []).flatMap(flatten)];
  };
  const branches = flatten(schema);
  const properties = Object.assign(
    {},
    ...branches.map((branch) => (branch.properties as Record<string, Schema>) ?? {}),
  ) as Record<string, Schema>;
  const open =
    branches.some(
      (branch) =>
        branch.additionalProperties !== undefined && branch.additionalProperties !== false,
    ) || branches.every((branch) => branch.properties === undefined);
  return { properties, open };
}

function resolve(schemas: Record<string, Schema>, schema: Schema | undefined): Schema | undefined {
  let current = schema;
  for (let depth = 0; typeof current?.$ref === 'string' && depth < 32; depth++) {
    current = schemas[(current.$ref as string).slice(COMPONENTS.length)];
  }
  return current;
}
