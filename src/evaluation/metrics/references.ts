import { invalidLabel } from './options.js';

/**
 * The gold references of an example: one string, or a non-empty array of strings.
 *
 * @throws InvalidArgumentError otherwise.
 * @internal
 */
export function readReferences(label: unknown, index: number, what: string): readonly string[] {
  if (typeof label === 'string') return [label];
  if (Array.isArray(label) && label.length > 0 && label.every((item) => typeof item === 'string'))
    return label;
  return invalidLabel(index, label, `${what}: a string or a non-empty array of strings`);
}

/** The text of a generated output: a string, or the `text` of `{ text }`. @internal */
export function outputText(output: unknown): string | undefined {
  if (typeof output === 'string') return output;
  if (
    output !== null &&
    typeof output === 'object' &&
    typeof (output as { text?: unknown }).text === 'string'
  ) {
    return (output as { text: string }).text;
  }
  return undefined;
}
