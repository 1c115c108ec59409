import type { OpenAPIObject, ReferenceObject, SchemaObject } from '@nestjs/swagger';

/**
 * The answer schemas every app shares, by name, so a generated client gets one named type per
 * shape (`Member`, `CommandResult`, `Error`) instead of an anonymous one per operation.
 * Controllers refer to them with `$ref`; `withNamedSchemas` puts into the document's
 * components those its operations reach, so each app's document holds only its own.
 */
const named = new Map<string, SchemaObject>();

/** Registers `schema` as `#/components/schemas/<name>` and returns the reference to it. */
export function namedSchema(name: string, schema: SchemaObject): ReferenceObject {
  const known = named.get(name);
  // The same shape may be declared twice (two routes answering the same page): one name.
  if (known !== undefined && JSON.stringify(known) !== JSON.stringify(schema)) {
    throw new Error(`Two different OpenAPI schemas are named ${name}: rename one.`);
  }
  named.set(name, schema);
  return { $ref: refTo(name) };
}

/** `document` with the named schemas its operations reach, directly or through another. */
export function withNamedSchemas(document: OpenAPIObject): OpenAPIObject {
  const schemas = { ...document.components?.schemas };
  const pending = referencesIn(document.paths);
  while (pending.length > 0) {
    const name = pending.pop()!;
    const schema = named.get(name);
    if (schema === undefined || name in schemas) continue;
    schemas[name] = schema;
    pending.push(...referencesIn(schema));
  }
  return { ...document, components: { ...document.components, schemas } };
}

const PREFIX = '#/components/schemas/';

function refTo(name: string): string {
  return `${PREFIX}${name}`;
}

function referencesIn(value: unknown): string[] {
  const found: string[] = [];
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(visit);
    else if (node !== null && typeof node === 'object') {
      for (const [key, child] of Object.entries(node)) {
        if (key === '$ref' && typeof child === 'string' && child.startsWith(PREFIX)) {
          found.push(child.slice(PREFIX.length));
        } else visit(child);
      }
    }
  };
  visit(value);
  return found;
}
