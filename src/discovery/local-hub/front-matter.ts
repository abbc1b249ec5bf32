import { parse } from 'yaml';

/**
 * The YAML front matter of a model card (`README.md`) as an object, or `undefined` when the card
 * has none, it is not a mapping, or it is not valid YAML.
 */
export function parseFrontMatter(markdown: string): Record<string, unknown> | undefined {
  const match = /^\uFEFF?---[ \t]*\r?\n([\s\S]*?)\r?\n---[ \t]*(\r?\n|$)/.exec(markdown);
  if (!match) return undefined;
  try {
    const value: unknown = parse(match[1] ?? '', { maxAliasCount: 100 });
    return isPlainObject(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
