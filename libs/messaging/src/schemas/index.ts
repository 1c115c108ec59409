import { EVENT_CATALOG, EVENT_TYPES, type EventType } from '../event-catalog.js';
import { dataschemaOf } from '../topic.js';
import { accessGraphSchemasV1 } from './access-graph.v1.js';
import { DRAFT, type JsonSchema } from './json-schema.js';
import { organizationSchemasV1 } from './organization.v1.js';

export * from './json-schema.js';
export * from './validate.js';

/**
 * Every (type, version) -> schema of the published data. Typed as a complete record per
 * version, so version 1 cannot miss a type; a version 2 of one type adds a partial entry.
 */
const SCHEMAS: Record<number, Partial<Record<EventType, JsonSchema>>> = {
  1: { ...organizationSchemasV1, ...accessGraphSchemasV1 } satisfies Record<EventType, JsonSchema>,
};

/** The schema of one type and version, standalone ($schema and $id set), or undefined. */
export function schemaOf(type: string, version: number): JsonSchema | undefined {
  const schema = SCHEMAS[version]?.[type as EventType];
  if (!schema) return undefined;
  return {
    $schema: DRAFT,
    $id: dataschemaOf(type, version),
    title: `${type} v${version}`,
    ...schema,
  };
}

/** Every schema version kept for a type, oldest first (old versions stay documented). */
export function versionsOf(type: EventType): number[] {
  return Object.keys(SCHEMAS)
    .map(Number)
    .filter(
      (version) => SCHEMAS[version][type] !== undefined && version <= EVENT_CATALOG[type].version,
    )
    .sort((a, b) => a - b);
}

/** The published (current) schema of every event type. */
export function currentSchemas(): Map<EventType, JsonSchema> {
  return new Map(
    EVENT_TYPES.map((type) => [type, schemaOf(type, EVENT_CATALOG[type].version) as JsonSchema]),
  );
}
