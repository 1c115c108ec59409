import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import prettier from 'prettier';
import { asyncApiDocument, asyncApiYaml, EVENT_TYPES, EVENTS_TOPIC } from '#libs/messaging';

const FILE = new URL('../../docs/asyncapi.yaml', import.meta.url);

/** The generated document as the repository keeps it: formatted like every other file. */
async function expected(): Promise<string> {
  const options = await prettier.resolveConfig(fileURLToPath(FILE));
  return prettier.format(asyncApiYaml(), { ...options, parser: 'yaml' });
}

describe('docs/asyncapi.yaml (AsyncAPI 3)', () => {
  let text: string;
  beforeAll(async () => {
    if (process.env.UPDATE_ASYNCAPI) writeFileSync(FILE, await expected());
    text = readFileSync(FILE, 'utf8');
  });

  it('is what the catalog and schemas generate (regenerate with UPDATE_ASYNCAPI=1)', async () => {
    expect(text).toBe(await expected());
  });

  it('lists exactly the event types as messages of the topic, each with its schema', () => {
    const messagesBlock = text.split('\n  messages:\n')[1] ?? '';
    const listed = [...messagesBlock.matchAll(/^ {4}([A-Za-z]+):$/gm)].map((match) => match[1]);
    expect(listed.sort()).toEqual([...EVENT_TYPES].sort());
    const document = asyncApiDocument() as {
      channels: Record<string, { address: string }>;
      components: {
        schemas: Record<string, unknown>;
        messages: Record<string, { payload: { $ref: string } }>;
      };
    };
    expect(Object.values(document.channels).map((channel) => channel.address)).toEqual([
      EVENTS_TOPIC,
    ]);
    for (const [type, message] of Object.entries(document.components.messages)) {
      const name = message.payload.$ref.replace('#/components/schemas/', '');
      expect({ type, schema: document.components.schemas[name] !== undefined }).toEqual({
        type,
        schema: true,
      });
    }
  });

  it('documents the key and the CloudEvents headers', () => {
    expect(text).toMatch(/^asyncapi: ['"]3\.0\.0['"]$/m);
    expect(text).toContain(`address: ${EVENTS_TOPIC}`);
    for (const header of [
      'ce_id',
      'ce_type',
      'ce_source',
      'ce_time',
      'ce_specversion',
      'ce_dataschema',
      'ce_traceparent',
    ]) {
      expect(text).toContain(`${header}:`);
    }
    expect(text).toContain('Organization id: one organization, one partition, in order.');
  });
});
