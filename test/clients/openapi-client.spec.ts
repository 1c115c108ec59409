import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { startTestApp } from '../support/test-app.js';
import { withSortedKeys } from '../../tools/openapi-client/document.js';
import {
  CLIENT_FILES,
  documentText,
  REGENERATE_COMMAND,
  schemaText,
} from '../../tools/openapi-client/generate.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

const committed = (relative: string) => readFileSync(`${ROOT}/${relative}`, 'utf8');

/** Fails with where the committed file first differs and the command that brings it up to date. */
function expectUpToDate(relative: string, expected: string): void {
  const actual = committed(relative);
  if (actual === expected) return;
  const actualLines = actual.split('\n');
  const expectedLines = expected.split('\n');
  const differs = expectedLines.findIndex((text, index) => text !== actualLines[index]);
  // -1: what is expected is all there, and the committed file goes on past it.
  const line = differs === -1 ? expectedLines.length : differs;
  const show = (text: string | undefined) =>
    text === undefined ? 'the end of the file' : JSON.stringify(text);
  throw new Error(
    `${relative} is out of date: line ${line + 1} reads ${show(actualLines[line])} ` +
      `but should read ${show(expectedLines[line])}. ` +
      `Run \`${REGENERATE_COMMAND}\` and commit what it writes.`,
  );
}

describe('clients/typescript (generated from the OpenAPI document)', () => {
  it(`openapi.json is the document the controllers describe (regenerate with ${REGENERATE_COMMAND})`, async () => {
    expectUpToDate(CLIENT_FILES.document, await documentText(ROOT));
  });

  it(`src/schema.ts is what openapi-typescript makes of openapi.json (regenerate with ${REGENERATE_COMMAND})`, async () => {
    expectUpToDate(CLIENT_FILES.schema, await schemaText(ROOT, committed(CLIENT_FILES.document)));
  });

  it('the generator reads the very document a running app serves at /docs-json', async () => {
    const t = await startTestApp();
    try {
      const served = (await t.http.get('/docs-json').expect(200)).body as unknown;
      expect(withSortedKeys(served)).toEqual(JSON.parse(await documentText(ROOT)));
    } finally {
      await t.close();
    }
  });
});
