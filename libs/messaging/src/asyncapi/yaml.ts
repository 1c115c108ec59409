/**
 * A YAML writer for plain JSON values: enough to write docs/asyncapi.yaml from the schemas in
 * code, so the document can never drift from what is published. Strings that could read as
 * anything but a string are written JSON-quoted, which YAML accepts as a double-quoted scalar.
 */
export function toYaml(value: unknown): string {
  return `${lines(value, 0).join('\n')}\n`;
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

function lines(value: unknown, indent: number): string[] {
  const pad = ' '.repeat(indent);
  const json = value as Json;
  if (Array.isArray(json)) {
    if (json.length === 0) return [`${pad}[]`];
    return json.flatMap((item) => {
      if (isBlock(item)) {
        const [first, ...rest] = lines(item, indent + 2);
        return [`${pad}- ${first.trimStart()}`, ...rest];
      }
      return [`${pad}- ${scalar(item)}`];
    });
  }
  if (isObject(json)) {
    const entries = Object.entries(json);
    if (entries.length === 0) return [`${pad}{}`];
    return entries.flatMap(([key, item]) =>
      isBlock(item)
        ? [`${pad}${yamlKey(key)}:`, ...lines(item, indent + 2)]
        : [`${pad}${yamlKey(key)}: ${scalar(item)}`],
    );
  }
  return [`${pad}${scalar(json)}`];
}

function isObject(value: Json): value is { [key: string]: Json } {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Non-empty objects and arrays go on their own lines. */
function isBlock(value: Json): boolean {
  return (
    (Array.isArray(value) && value.length > 0) || (isObject(value) && Object.keys(value).length > 0)
  );
}

const PLAIN = /^[A-Za-z_$][A-Za-z0-9_ ./$+-]*$/;
const RESERVED = /^(true|false|null|yes|no|on|off|y|n|~)$/i;

function scalar(value: Json): string {
  if (Array.isArray(value)) return '[]';
  if (isObject(value)) return '{}';
  if (typeof value !== 'string') return JSON.stringify(value);
  return PLAIN.test(value) && !RESERVED.test(value) && !value.endsWith(' ')
    ? value
    : JSON.stringify(value);
}

function yamlKey(key: string): string {
  return PLAIN.test(key) && !RESERVED.test(key) && !key.includes(' ') ? key : JSON.stringify(key);
}
