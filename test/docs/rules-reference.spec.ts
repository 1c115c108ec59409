import { documentationFiles, filesUnder, readRepoFile } from '../support/markdown.js';

/**
 * docs/rules.md is the rules reference every test name, OpenAPI summary and document cites:
 * each rule id used anywhere has its own entry there, headed `### R12 — …` so it can be linked.
 */
const RULE_ID = /\b[RS]\d+\b/g;
const PRODUCT_RULES = [
  ...Array.from({ length: 42 }, (_, i) => `R${i + 1}`),
  ...Array.from({ length: 5 }, (_, i) => `S${i + 1}`),
];

const sourceFiles = ['apps', 'libs', 'test'].flatMap(filesUnder).filter((f) => f.endsWith('.ts'));

/** The first string argument of every describe / it / test (with .each, .skip, … too). */
function testNames(source: string): string[] {
  const call =
    /(?<![.\w])(?:describe|it|test)\b[\w.]*(?:\((?:[^()]|\([^()]*\))*\))?\(\s*(['"`])((?:\\.|(?!\1)[\s\S])*?)\1/g;
  return [...source.matchAll(call)].map((match) => match[2]);
}

/** The options of every `@ApiOperation({ summary, description })`. */
function apiOperations(source: string): string[] {
  return [...source.matchAll(/@ApiOperation\(\s*\{([\s\S]*?)\}\s*\)/g)].map((match) => match[1]);
}

function idsIn(texts: string[]): Set<string> {
  return new Set(texts.flatMap((text) => text.match(RULE_ID) ?? []));
}

function rulesWithAnEntry(): Set<string> {
  const headings = readRepoFile('docs/rules.md').matchAll(/^#{2,4} ([RS]\d+) — \S/gm);
  return new Set([...headings].map((match) => match[1]));
}

// Specs, and the shared suites under test/ (contracts) that specs run.
const specs = sourceFiles.filter((f) => f.startsWith('test/') || /\.(e2e-)?spec\.ts$/.test(f));
const citedBy: Record<string, Set<string>> = {
  'test names': idsIn(specs.flatMap((f) => testNames(readRepoFile(f)))),
  'OpenAPI operations': idsIn(sourceFiles.flatMap((f) => apiOperations(readRepoFile(f)))),
  'README.md and docs/': idsIn(documentationFiles().map(readRepoFile)),
};

describe('the rules reference, docs/rules.md', () => {
  it.each(Object.entries(citedBy))('has an entry for every rule id cited in %s', (_where, ids) => {
    const entries = rulesWithAnEntry();
    expect([...ids].filter((id) => !entries.has(id)).sort()).toEqual([]);
  });

  it('has an entry for every rule of the product, R1–R42 and S1–S5, and no other', () => {
    expect([...rulesWithAnEntry()].sort()).toEqual([...PRODUCT_RULES].sort());
  });

  it('finds the citations it checks: most rules are named by tests and documents', () => {
    // Guards the collectors above: a regex that stopped matching would make the rest vacuous.
    expect(citedBy['test names'].size).toBeGreaterThanOrEqual(40);
    expect(citedBy['OpenAPI operations'].size).toBeGreaterThanOrEqual(10);
    expect(citedBy['README.md and docs/'].size).toBeGreaterThanOrEqual(40);
  });
});
