import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, normalize } from 'node:path';
import {
  documentationFiles,
  filesUnder,
  headingAnchors,
  linkTargets,
  readRepoFile,
  REPO_ROOT,
} from '../support/markdown.js';

/**
 * The documentation is read on GitHub and in a clone: every relative link in README.md and
 * docs/ must reach a file of the repository (and a heading, for a #anchor into markdown), and
 * nothing may send the reader to a file they do not have — an absolute path on someone's
 * machine, or the private product brief this repository was built from. Code, tests, benchmark
 * output and build files are read in a clone too, so they may not cite that brief either: they
 * cite rule ids (docs/rules.md), docs/benchmarks.md#targets, an ADR or a README section.
 */
const PUBLIC_URL = /^(https?|mailto):/i;

/**
 * The private brief, its sections and notes, wherever they appear. The letters in brackets keep
 * these patterns (and this file) from matching themselves; the examples below are spelled in
 * pieces for the same reason.
 */
const PRIVATE_REFERENCES: [what: string, pattern: RegExp][] = [
  ['the private spec', /\bS[P]EC\b/],
  ['the private spec', /\bs[p]ec\.md\b/i],
  ['the private spec', /\bthe s[p]ec\b/i],
  ['a section of the private spec', /(?<!RFC \d{3,5} )§\s?[1-7](?![.\d])/],
  ['the private architecture and toolchain notes', /\b(A[R]CHITECTURE|T[O]OLCHAIN)\b/],
  ['the private architecture and toolchain notes', /\b(a[r]chitecture|t[o]olchain)\.md\b/i],
  [
    'the folder of the private notes',
    /\/w[o]rk\/shared\b|\bshared\/(s[p]ec|a[r]chitecture|t[o]olchain)\b/i,
  ],
];

/** Text that points outside the repository, wherever it appears (code blocks included). */
const OUTSIDE_REFERENCES: [what: string, pattern: RegExp][] = [
  ...PRIVATE_REFERENCES,
  // Documentation only: code imports its own `../shared/` folders (libs/domain).
  ['a folder beside the repository', /\.\.\/shared\b/],
  ['an absolute path on a machine', /(?<![\w.:/-])\/(work|home|Users|root|mnt|srv)\/[\w.-]/],
  ['a file URL', /\bfile:\/\//],
];

const files = documentationFiles();
/** Everything a reader of the documentation gets, the AsyncAPI document included. */
const documentation = ['README.md', ...filesUnder('docs')];

/** The folders of code, tests, benchmarks, tools, examples and clients, and the build files. */
const CODE_FOLDERS = ['apps', 'libs', 'test', 'bench', 'tools', 'examples', 'clients', '.ci'];
const TEXT_FILE = /\.(ts|mts|cts|js|mjs|cjs|json|ya?ml|md)$|(^|\/)Dockerfile$|^\.ci\//;
const rootFiles = readdirSync(REPO_ROOT, { withFileTypes: true })
  .filter((entry) => entry.isFile() && entry.name !== 'package-lock.json')
  .map((entry) => entry.name);
const code = [...CODE_FOLDERS.flatMap(filesUnder), ...rootFiles]
  .filter((file) => TEXT_FILE.test(file) && !documentation.includes(file))
  .sort();

/** `file:line, what: the line` for every line of the files that matches one of the patterns. */
function referencesIn(
  paths: readonly string[],
  patterns: readonly [what: string, pattern: RegExp][],
): string[] {
  return paths.flatMap((file) =>
    readRepoFile(file)
      .split('\n')
      .flatMap((line, i) => {
        const what = new Set(patterns.filter(([, p]) => p.test(line)).map(([name]) => name));
        return [...what].map((name) => `${file}:${i + 1}, ${name}: ${line.trim()}`);
      }),
  );
}

function brokenLinks(file: string): string[] {
  return linkTargets(readRepoFile(file)).flatMap((target) => {
    if (PUBLIC_URL.test(target)) return [];
    const problem = whyBroken(file, target);
    return problem ? [`${target}: ${problem}`] : [];
  });
}

function whyBroken(file: string, target: string): string | undefined {
  if (/^[a-z][a-z0-9+.-]*:/i.test(target)) return 'not a public https URL';
  const [pathPart, anchor] = target.split('#', 2);
  const path = decodeURIComponent(pathPart);
  if (isAbsolute(path)) return 'an absolute path: link relative to this file';
  const resolved = path === '' ? file : normalize(join(dirname(file), path));
  if (resolved.startsWith('..')) return 'outside the repository';
  const onDisk = join(REPO_ROOT, resolved);
  if (!existsSync(onDisk)) return `no file ${resolved} in the repository`;
  if (anchor === undefined || !resolved.endsWith('.md') || statSync(onDisk).isDirectory())
    return undefined;
  return headingAnchors(readRepoFile(resolved)).has(anchor)
    ? undefined
    : `no heading #${anchor} in ${resolved}`;
}

describe('links in README.md and docs/', () => {
  it('finds the documents and their links', () => {
    expect(files).toEqual(expect.arrayContaining(['README.md', 'docs/rules.md']));
    expect(linkTargets(readRepoFile('docs/rules.md')).length).toBeGreaterThan(20);
  });

  it.each(files)(
    'every relative link of %s reaches a file and heading of the repository',
    (file) => {
      expect(brokenLinks(file)).toEqual([]);
    },
  );

  it.each(documentation)('%s points at nothing outside the repository', (file) => {
    expect(referencesIn([file], OUTSIDE_REFERENCES)).toEqual([]);
  });

  it('tells a broken link, a missing heading and an outside path from a good one', () => {
    // The checks above pass on good documents; these show they would catch the bad ones.
    expect(
      whyBroken(
        'README.md',
        'docs/rules.md#r38--errors-are-clear-stable-and-never-500-for-your-mistakes',
      ),
    ).toBeUndefined();
    expect(whyBroken('docs/rules.md', 'decisions/')).toBeUndefined();
    expect(whyBroken('README.md', 'docs/no-such-file.md')).toMatch(/^no file/);
    expect(whyBroken('README.md', 'docs/rules.md#r99--nothing')).toMatch(/^no heading/);
    // Spelled in pieces, like the examples below, so that this file passes its own scan.
    const spec = ['SP', 'EC.md'].join('');
    const onTheMachine = `/${'work'}/shared/${spec}`;
    expect(whyBroken('docs/rules.md', `../../shared/${spec}`)).toBe('outside the repository');
    expect(whyBroken('README.md', onTheMachine)).toMatch(/^an absolute path/);
    expect(OUTSIDE_REFERENCES.some(([, p]) => p.test(`see ${onTheMachine}`))).toBe(true);
  });
});

describe('code, tests, benchmarks and build files', () => {
  it('are all read: every code folder, the build files and the generated client', () => {
    expect(code).toEqual(
      expect.arrayContaining([
        '.ci/run',
        'Dockerfile',
        'docker-compose.yml',
        'package.json',
        'nest-cli.json',
        'eslint.config.js',
        'apps/standalone/src/main.ts',
        'bench/run.ts',
        'clients/typescript/openapi.json',
        'test/docs/links.spec.ts',
      ]),
    );
    expect(code.length).toBeGreaterThan(300);
  });

  it('cite rule ids, benchmark targets, ADRs or the README, never the private notes', () => {
    expect(referencesIn(code, PRIVATE_REFERENCES)).toEqual([]);
  });

  it('would name a citation of the private notes, and not what only looks like one', () => {
    // Spelled in pieces, so that this file passes its own scan.
    const cited = (text: string) => PRIVATE_REFERENCES.some(([, pattern]) => pattern.test(text));
    const citations = [
      ['// (SP', 'EC §', '7: 100,000 members)'],
      ["it('§", "6 R31 resumes read models')"],
      ['/** The s', "pec's permission syntax. */"],
      ['// Settings in one place (ARCH', 'ITECTURE: libs/config).'],
      ['see TOOL', 'CHAIN.md'],
      ['read ../../sh', 'ared/SP', 'EC.md'],
    ].map((pieces) => pieces.join(''));
    expect(citations.filter((text) => !cited(text))).toEqual([]);
    const lookalikes = [
      "import type { Command } from '../shared/command.js';",
      '/** UUIDv7 (RFC 9562 §5.7); monotonic by §6.2 Method 1. */',
      '// Refresh tokens (RFC 6749 §6).',
      "const specs = files.filter((f) => f.endsWith('.spec.ts'));",
      '// lowercase alphanumeric names, as the CloudEvents spec requires',
    ];
    expect(lookalikes.filter(cited)).toEqual([]);
  });
});
