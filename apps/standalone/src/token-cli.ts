import { parseArgs } from 'node:util';
import { mintDevelopmentToken } from '#libs/auth';
import { loadSettings, withDevelopmentSecrets } from '#libs/config';

/**
 * `npm run token -- <support|auditor|member> [--email E] [--sub S] [--groups a,b]`
 * Prints a development token for curl. Uses the same settings and data directory as
 * `npm start`, so tokens match the running server.
 */
const USAGE = `Usage:
  npm run token -- support                      the support token (creates organizations, edits catalogs)
  npm run token -- auditor                      the auditor token (read-only)
  npm run token -- member --email a@acme.test [--sub user-1] [--groups g1,g2] [--ttl 12h]
                                                a member JWT signed with the development secret;
                                                its sub is dev|<email> unless --sub is given`;

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: {
    email: { type: 'string' },
    sub: { type: 'string' },
    groups: { type: 'string' },
    ttl: { type: 'string', default: '12h' },
    help: { type: 'boolean', short: 'h' },
  },
});

const settings = withDevelopmentSecrets(loadSettings());
const kind = positionals[0];

if (values.help || !kind) {
  console.log(USAGE);
} else if (settings.environment === 'production') {
  fail(
    'Tokens are minted for development only; in production they come from your identity provider.',
  );
} else if (kind === 'support') {
  console.log(settings.supportTokens[0]);
} else if (kind === 'auditor') {
  console.log(settings.auditorTokens[0]);
} else if (kind === 'member') {
  if (!values.email) fail("A member token needs --email (the member's email in the organization).");
  const token = await mintDevelopmentToken(settings.jwt, {
    // Stable per email: a member is bound to the sub of their first sign-in (S5), so every
    // token minted for them later must carry the same one.
    subject: values.sub ?? `dev|${values.email}`,
    email: values.email!,
    groups: values.groups ? values.groups.split(',').map((g) => g.trim()) : [],
    expiresIn: values.ttl,
  });
  console.log(token);
} else {
  fail(`Unknown token kind "${kind}".\n${USAGE}`);
}

function fail(message: string): never {
  console.error(message);
  process.exit(2);
}
