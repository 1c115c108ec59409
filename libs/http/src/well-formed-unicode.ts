/** A UTF-16 surrogate without its partner: JSON's `\ud800` escapes can carry one. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const LONE_SURROGATES = new RegExp(LONE_SURROGATE.source, 'g');

/** `String.prototype.isWellFormed`, which the ES2023 lib this project compiles against lacks. */
export const isWellFormed = (text: string): boolean => !LONE_SURROGATE.test(text);

/** The text with each lone surrogate replaced by U+FFFD, safe to quote in an answer. */
export const toWellFormed = (text: string): string => text.replace(LONE_SURROGATES, '\uFFFD');

/**
 * The dotted paths (`firstUser.email`, `principals.0.id`) of every string in a parsed body —
 * values and keys — that is not well-formed Unicode. Validators assume well-formed strings
 * (validator.js's e-mail check calls encodeURI, which throws on a lone surrogate), so these
 * are refused first. Iterative, so a deep value cannot overflow the stack.
 */
export function illFormedPaths(value: unknown): string[] {
  const found: string[] = [];
  const pending: { value: unknown; path: string }[] = [{ value, path: '' }];
  const at = (parent: string, key: string) => (parent ? `${parent}.${key}` : key);
  while (pending.length > 0) {
    const { value: current, path } = pending.pop()!;
    if (typeof current === 'string') {
      if (!isWellFormed(current)) found.push(path);
    } else if (Array.isArray(current)) {
      current.forEach((item, index) =>
        pending.push({ value: item, path: at(path, String(index)) }),
      );
    } else if (typeof current === 'object' && current !== null) {
      for (const [key, item] of Object.entries(current)) {
        const safeKey = toWellFormed(key);
        if (safeKey !== key) found.push(at(path, safeKey));
        else pending.push({ value: item, path: at(path, key) });
      }
    }
  }
  return found.sort();
}
