import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

/** Reading the repository's own markdown the way GitHub renders it, for the docs tests. */

export const REPO_ROOT = process.cwd();

export function readRepoFile(path: string): string {
  return readFileSync(join(REPO_ROOT, path), 'utf8');
}

/** README.md and every markdown file under docs/, as repository-relative paths. */
export function documentationFiles(): string[] {
  return ['README.md', ...filesUnder('docs').filter((path) => path.endsWith('.md'))];
}

/** Every file under a repository folder, recursively, as repository-relative paths. */
export function filesUnder(folder: string): string[] {
  return readdirSync(join(REPO_ROOT, folder), { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(REPO_ROOT, join(entry.parentPath, entry.name)))
    .sort();
}

/** The text from a `## heading` to the next heading of that level or above. */
export function section(markdown: string, heading: string): string {
  const lines = markdown.split('\n');
  const start = lines.findIndex((line) => line.trim() === heading);
  if (start < 0) throw new Error(`no heading "${heading}"`);
  const level = heading.indexOf(' ');
  let inFence = false;
  let end = start + 1;
  for (; end < lines.length; end++) {
    // A `# comment` in a code block is no heading.
    if (/^(```|~~~)/.test(lines[end])) inFence = !inFence;
    else if (!inFence && /^#+ /.test(lines[end]) && lines[end].indexOf(' ') <= level) break;
  }
  return lines.slice(start, end).join('\n');
}

/** The contents of the fenced code blocks of one language (```sh … ```). */
export function codeBlocks(markdown: string, language: string): string[] {
  const fence = new RegExp('^```' + language + '\\n([\\s\\S]*?)^```$', 'gm');
  return [...markdown.matchAll(fence)].map((match) => match[1]);
}

/** The markdown without fenced code blocks and inline code, where links are not links. */
export function proseOf(markdown: string): string {
  return markdown.replace(/^(```|~~~)[\s\S]*?^\1$/gm, '').replace(/`[^`\n]*`/g, '');
}

/** Link and image targets: `[text](target)`, `<https://…>` and `[label]: target` definitions. */
export function linkTargets(markdown: string): string[] {
  const prose = proseOf(markdown);
  return [
    ...[...prose.matchAll(/\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)].map((m) => m[1]),
    ...[...prose.matchAll(/<([a-z][a-z0-9+.-]*:[^>\s]+)>/gi)].map((m) => m[1]),
    ...[...prose.matchAll(/^ {0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s|$)/gm)].map((m) => m[1]),
  ];
}

/** The anchors GitHub gives a document's headings (github-slugger's rules, duplicates numbered). */
export function headingAnchors(markdown: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  for (const [, text] of proseHeadings(markdown)) {
    const base = slug(text);
    const count = seen.get(base) ?? 0;
    seen.set(base, count + 1);
    anchors.add(count === 0 ? base : `${base}-${count}`);
  }
  return anchors;
}

function proseHeadings(markdown: string): RegExpMatchArray[] {
  // Inline code in a heading still counts as its text, so only fenced blocks are dropped.
  const withoutFences = markdown.replace(/^(```|~~~)[\s\S]*?^\1$/gm, '');
  return [...withoutFences.matchAll(/^ {0,3}#{1,6}[ \t]+(.*?)[ \t#]*$/gm)];
}

function slug(headingText: string): string {
  const text = headingText
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1') // a link shows its text
    .replace(/[`*~]/g, ''); // code and emphasis marks are not text
  return text
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, '')
    .replace(/ /g, '-');
}
