/**
 * The subset of JSON Schema (draft 07) the event schemas use, typed, with small builders
 * so that each schema reads like the event it describes. `validate.ts` checks exactly this
 * subset; anything else is refused there rather than silently ignored.
 */
export interface JsonSchema {
  $schema?: string;
  $id?: string;
  title?: string;
  description?: string;
  type?: JsonType | JsonType[];
  enum?: readonly (string | number | boolean | null)[];
  const?: string | number | boolean | null;
  properties?: Record<string, JsonSchema>;
  required?: readonly string[];
  additionalProperties?: boolean;
  items?: JsonSchema;
  minItems?: number;
  uniqueItems?: boolean;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  format?: 'date-time' | 'email';
  minimum?: number;
}

export type JsonType = 'string' | 'integer' | 'number' | 'boolean' | 'object' | 'array' | 'null';

/** Draft 07: AsyncAPI's default schema format is a superset of it, so tools read these as they are. */
export const DRAFT = 'http://json-schema.org/draft-07/schema#';

/** Ids are opaque non-empty strings (UUIDs from the API; fixed ids for built-in roles). */
export const id = (description?: string): JsonSchema => ({
  type: 'string',
  minLength: 1,
  maxLength: 256,
  ...(description ? { description } : {}),
});
export const text = (maxLength = 256): JsonSchema => ({ type: 'string', minLength: 1, maxLength });
export const email = (): JsonSchema => ({ type: 'string', format: 'email', minLength: 3 });
export const time = (): JsonSchema => ({ type: 'string', format: 'date-time' });
export const nullable = (schema: JsonSchema): JsonSchema => ({
  ...schema,
  type: [schema.type as JsonType, 'null'],
});
export const permission = (): JsonSchema => ({
  type: 'string',
  pattern: '^[a-z0-9_.:-]{1,128}$',
});
export const arrayOf = (items: JsonSchema, minItems = 0): JsonSchema => ({
  type: 'array',
  items,
  ...(minItems > 0 ? { minItems } : {}),
});
export const permissions = (): JsonSchema => ({ ...arrayOf(permission()), uniqueItems: true });
export const oneOf = (...values: string[]): JsonSchema => ({ type: 'string', enum: values });

/** A closed object: every property required unless listed in `optional`, no others allowed. */
export function object(
  properties: Record<string, JsonSchema>,
  optional: readonly string[] = [],
): JsonSchema {
  return {
    type: 'object',
    properties,
    required: Object.keys(properties).filter((name) => !optional.includes(name)),
    additionalProperties: false,
  };
}

export const principal = (): JsonSchema => ({
  ...object({ type: oneOf('user', 'group'), id: id() }),
  description: 'A member (by userId) or a group (by groupId).',
});
export const workspaceRole = (): JsonSchema => oneOf('member', 'user', 'editor', 'admin');
export const projectMemberRole = (): JsonSchema => oneOf('viewer', 'user');
