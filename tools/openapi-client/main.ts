import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { CLIENT_FILES, documentText, schemaText } from './generate.js';

/**
 * `npm run openapi`: rewrites the committed OpenAPI document and the client's generated types
 * from the controllers. Run from the repository root (npm does).
 */
const root = process.cwd();

function write(relative: string, text: string): void {
  const file = resolve(root, relative);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, text);
  console.log(`  wrote ${relative} (${text.length.toLocaleString('en')} characters)`);
}

try {
  console.log('Building the OpenAPI document the standalone app serves at /docs-json…');
  const document = await documentText(root);
  write(CLIENT_FILES.document, document);
  console.log('Generating the client types with openapi-typescript…');
  write(CLIENT_FILES.schema, await schemaText(root, document));
  console.log(
    'Done. Commit both files; the drift test (test/clients/openapi-client.spec.ts) checks them.',
  );
} catch (error) {
  console.error(error);
  console.error(
    'Regenerating the client failed (above). The app must start as `npm start` would: fix that, then run `npm run openapi` again.',
  );
  process.exitCode = 1;
}
