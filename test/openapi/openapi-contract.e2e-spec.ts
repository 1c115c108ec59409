import { startTestApp, type TestApp } from '../support/test-app.js';

/**
 * The OpenAPI document is the contract client teams generate their code from, so every
 * operation must say what it answers, how it refuses and which headers and parameters it
 * honours. These tests read the document the app serves and fail, naming the operation, when
 * one lacks any of it.
 */

interface Schema {
  $ref?: string;
  type?: string;
  enum?: unknown[];
  allOf?: Schema[];
  properties?: Record<string, Schema>;
  pattern?: string;
}
interface Parameter {
  name: string;
  in: string;
  schema?: Schema;
}
interface Response {
  description?: string;
  content?: Record<string, { schema?: Schema }>;
}
interface Operation {
  summary?: string;
  parameters?: Parameter[];
  requestBody?: unknown;
  responses: Record<string, Response>;
  security?: unknown[];
}
interface Document {
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, Schema> };
}

interface Walked {
  id: string;
  method: string;
  path: string;
  operation: Operation;
}

const ERROR_REF = '#/components/schemas/Error';
const COMMAND_RESULT_REF = '#/components/schemas/CommandResult';

/** The reads R33 names: membership tables, effective access, checks and the API-key list. */
const AS_OF_READS = [
  'GET /v1/orgs/{orgId}/members',
  'GET /v1/orgs/{orgId}/members/{userId}',
  'GET /v1/orgs/{orgId}/workspaces/{workspaceId}/members',
  'GET /v1/orgs/{orgId}/projects/{projectId}/members',
  'GET /v1/orgs/{orgId}/check',
  'POST /v1/orgs/{orgId}/checks',
  'GET /v1/orgs/{orgId}/api-keys',
];

describe('the OpenAPI document', () => {
  let t: TestApp;
  let document: Document;
  let operations: Walked[];

  beforeAll(async () => {
    t = await startTestApp();
    document = (await t.http.get('/docs-json').expect(200)).body as Document;
    operations = Object.entries(document.paths).flatMap(([path, item]) =>
      Object.entries(item).map(([method, operation]) => ({
        id: `${method.toUpperCase()} ${path}`,
        method: method.toUpperCase(),
        path,
        operation,
      })),
    );
  });

  afterAll(() => t?.close());

  /** The operations for which `problem` says something, with what it says. */
  const lacking = (problem: (walked: Walked) => string | undefined) =>
    operations.flatMap((walked) => {
      const found = problem(walked);
      return found ? [`${walked.id}: ${found}`] : [];
    });

  const resolve = (schema: Schema | undefined): Schema | undefined =>
    schema?.$ref ? document.components.schemas[schema.$ref.split('/').pop()!] : schema;

  /** The properties of a schema, those of its allOf parts included. */
  const propertiesOf = (schema: Schema | undefined): Record<string, Schema> => {
    const resolved = resolve(schema);
    return {
      ...Object.assign({}, ...(resolved?.allOf ?? []).map(propertiesOf)),
      ...resolved?.properties,
    } as Record<string, Schema>;
  };

  const success = ({ operation }: Walked) =>
    Object.entries(operation.responses).find(([status]) => /^2\d\d$/.test(status))?.[1];

  const isApi = ({ path }: Walked) => path.startsWith('/v1/');
  const isCommand = (walked: Walked) =>
    walked.operation.parameters?.some((p) => p.in === 'header' && p.name === 'Idempotency-Key');
  const parameter = ({ operation }: Walked, where: string, name: string) =>
    operation.parameters?.find((p) => p.in === where && p.name === name);

  it('documents every route the app serves', () => {
    expect(operations.length).toBeGreaterThanOrEqual(60);
    expect(lacking(({ operation }) => (operation.summary ? undefined : 'no summary'))).toEqual([]);
  });

  it('R38 every operation documents its success answer with a schema', () => {
    expect(
      lacking((walked) => {
        const answer = success(walked);
        if (!answer) return 'no 2xx answer';
        const media = Object.entries(answer.content ?? {});
        if (media.length === 0) return 'a 2xx answer without content';
        const empty = media.find(([, { schema }]) => {
          const resolved = resolve(schema);
          return !resolved || (!resolved.type && !resolved.allOf && !resolved.properties);
        });
        return empty ? `no schema for ${empty[0]}` : undefined;
      }),
    ).toEqual([]);
  });

  it('R38 every refusal an operation documents is the error model, and every operation documents its refusals', () => {
    expect(
      lacking((walked) => {
        const refusals = Object.entries(walked.operation.responses).filter(([s]) => +s >= 400);
        const notError = refusals.find(
          ([, response]) => response.content?.['application/json']?.schema?.$ref !== ERROR_REF,
        );
        if (notError) return `${notError[0]} is not the Error schema`;
        const statuses = refusals.map(([status]) => status);
        // 404 wherever the path names something: it may not exist, or be another organization's.
        const needed = [
          ...(walked.operation.security?.length ? ['401'] : []),
          ...(walked.path.includes('{') ? ['404'] : []),
          // Any request may carry a query string and a body, judged before the route is.
          ...['400', '413', '415'],
        ];
        const missing = needed.filter((status) => !statuses.includes(status));
        return missing.length ? `refusals ${missing.join(', ')} undocumented` : undefined;
      }),
    ).toEqual([]);
  });

  it('R37 every command documents Idempotency-Key and answers CommandResult with its position (R35)', () => {
    expect(
      lacking((walked) => {
        if (!isApi(walked) || walked.method === 'GET' || !isCommand(walked)) return undefined;
        const properties = propertiesOf(success(walked)?.content?.['application/json']?.schema);
        return properties.position && properties.events
          ? undefined
          : 'answer without position and events';
      }),
    ).toEqual([]);
    const commandResult = document.components.schemas.CommandResult;
    expect(commandResult.properties?.position.pattern).toBe('^\\d+$');
    const commands = operations.filter((walked) => isApi(walked) && isCommand(walked));
    expect(commands.length).toBeGreaterThanOrEqual(30);
    for (const command of commands) {
      const schema = success(command)?.content?.['application/json']?.schema;
      const extendsResult =
        schema?.$ref === COMMAND_RESULT_REF ||
        resolve(schema)?.allOf?.some((part) => part.$ref === COMMAND_RESULT_REF);
      expect({ [command.id]: extendsResult }).toEqual({ [command.id]: true });
    }
  });

  it('R35 every read documents minPosition and the 503 it answers when the read models lag', () => {
    expect(
      lacking((walked) => {
        if (!isApi(walked) || isCommand(walked)) return undefined;
        if (!parameter(walked, 'query', 'minPosition')) return 'no minPosition';
        return walked.operation.responses['503'] ? undefined : 'no 503';
      }),
    ).toEqual([]);
    // Every operation of the API is one or the other: a command or a read.
    expect(
      lacking((walked) =>
        isApi(walked) &&
        walked.method !== 'GET' &&
        !isCommand(walked) &&
        !parameter(walked, 'query', 'minPosition')
          ? 'neither a command (Idempotency-Key) nor a read (minPosition)'
          : undefined,
      ),
    ).toEqual([]);
  });

  it('R33 the membership tables, checks and API-key list document asOf', () => {
    const missing = AS_OF_READS.filter((id) => {
      const walked = operations.find((candidate) => candidate.id === id);
      return !walked || !parameter(walked, 'query', 'asOf');
    });
    expect(missing).toEqual([]);
  });

  it('a paged answer documents limit and cursor', () => {
    expect(
      lacking((walked) => {
        const properties = propertiesOf(success(walked)?.content?.['application/json']?.schema);
        if (!properties.nextCursor) return undefined;
        const missing = ['limit', 'cursor'].filter((name) => !parameter(walked, 'query', name));
        return missing.length ? `paged without ${missing.join(', ')}` : undefined;
      }),
    ).toEqual([]);
  });

  it('every parameter has a typed schema', () => {
    expect(
      lacking(({ operation }) => {
        const untyped = (operation.parameters ?? []).filter(
          (p) => !p.schema || (!p.schema.type && !p.schema.enum && !p.schema.$ref),
        );
        return untyped.length ? `untyped ${untyped.map((p) => p.name).join(', ')}` : undefined;
      }),
    ).toEqual([]);
  });

  it('every operation under /v1 documents the X-Correlation-Id and X-Request-Id headers it honours', () => {
    expect(
      lacking((walked) => {
        if (!isApi(walked)) return undefined;
        const missing = ['X-Correlation-Id', 'X-Request-Id'].filter(
          (name) => !parameter(walked, 'header', name),
        );
        return missing.length ? `no ${missing.join(', ')}` : undefined;
      }),
    ).toEqual([]);
  });

  it('links the rule ids of its summaries to the rules reference, which the service serves', async () => {
    expect(
      lacking(({ operation }) => {
        const ids = operation.summary?.match(/\b[RS]\d{1,2}\b/g) ?? [];
        const described = (operation as { description?: string }).description ?? '';
        const unlinked = ids.filter((id) => !described.includes(`[${id}](/docs/rules.md#`));
        return unlinked.length ? `unlinked ${unlinked.join(', ')}` : undefined;
      }),
    ).toEqual([]);
    const reference = await t.http.get('/docs/rules.md').expect(200);
    expect(reference.headers['content-type']).toMatch(/^text\/markdown/);
    expect(reference.text).toMatch(/^### R33 /m);
  });
});
