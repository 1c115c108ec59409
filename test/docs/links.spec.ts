import { existsSync, statSync } from 'node:fs';
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
 * machine, or the private product brief this repository was built from.
 */
const PUBLIC_URL = /^(https?|mailto):/i;

/** Text that points outside the repository, wherever it appears (code blocks included). */
const OUTSIDE_REFERENCES: [what: string, pattern: RegExp][] = [
  ['the private spec', /\bSPEC\b|\bSPEC\.md\b/],
  ['the private architecture and toolchain notes', /\b(ARCHITECTURE|TOOLCHAIN)\.md\b/],
  ['a folder beside the repository', /\.\.\/shared\b/],
  ['an absolute path on a machine', /(?<![\w.:/-])\/(work|home|Users|root|mnt|srv)\/[\w.-]/],
  ['a file URL', /\bfile:\/\//],
];

const files = documentationFiles();
/** Everything a reader of the documentation gets, the AsyncAPI document included. */
const documentation = ['README.md', ...filesUnder('docs')];

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
    const lines = readRepoFile(file).split('\n');
    const found = lines.flatMap((line, i) =>
      OUTSIDE_REFERENCES.filter(([, pattern]) => pattern.test(line)).map(
        ([what]) => `line ${i + 1}, ${what}: ${line.trim()}`,
      ),
    );
    expect(found).toEqual([]);
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
    expect(whyBroken('docs/rules.md', '../../shared/SPEC.md')).toBe('outside the repository');
    expect(whyBroken('README.md', '/work/shared/SPEC.md')).toMatch(/^an absolute path/);
    expect(OUTSIDE_REFERENCES.some(([, p]) => p.test('see /work/shared/SPEC.md'))).toBe(true);
  });
});
