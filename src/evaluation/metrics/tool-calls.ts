import type { ToolCall } from '../task-score.js';
import { parseJsonText } from './json-text.js';

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** Arguments given as an object or as a JSON text of one (OpenAI sends a string). */
function readArguments(value: unknown): Record<string, unknown> | undefined {
  if (value === undefined) return {};
  if (isRecord(value)) return value;
  if (typeof value === 'string') {
    const parsed = parseJsonText(value);
    return parsed.ok && isRecord(parsed.value) ? parsed.value : undefined;
  }
  return undefined;
}

/** One call: `{ name, arguments }` or OpenAI's `{ function: { name, arguments } }`. */
function readToolCall(value: unknown): ToolCall | undefined {
  if (!isRecord(value)) return undefined;
  const call = isRecord(value.function) ? value.function : value;
  if (typeof call.name !== 'string') return undefined;
  const parameters = readArguments(call.arguments ?? call.parameters);
  return parameters === undefined ? undefined : { name: call.name, arguments: parameters };
}

function readToolCallList(value: unknown): ToolCall[] | undefined {
  if (Array.isArray(value)) {
    const calls = value.map(readToolCall);
    return calls.every((call) => call !== undefined) ? (calls as ToolCall[]) : undefined;
  }
  if (!isRecord(value)) return undefined;
  for (const key of ['toolCalls', 'tool_calls']) {
    if (Array.isArray(value[key])) return readToolCallList(value[key]);
  }
  const single = readToolCall(value);
  return single === undefined ? undefined : [single];
}

/**
 * The tool calls of a `text-generation` output, or `undefined` when it holds none that can be
 * read (an empty `toolCalls` array reads as no calls: a miss, not an unreadable output). Accepted:
 *
 * - `{ text, toolCalls }` (the runner's form), calls as `{ name, arguments }`;
 * - a JSON text (optionally in a code fence) holding `{ name, arguments }`, an array of those,
 *   `{ toolCalls: […] }`, or OpenAI's `{ tool_calls: [{ function: { name, arguments } }] }`.
 *
 * `arguments` may be an object or a JSON text of one (as OpenAI sends them); `parameters` is
 * read as an alias. An unreadable call makes the whole output unreadable.
 */
export function readToolCalls(output: unknown): ToolCall[] | undefined {
  if (isRecord(output) && Array.isArray(output.toolCalls)) return readToolCallList(output.toolCalls);
  // A `{ text }` output without calls and plain text are read as JSON below.
  const text =
    typeof output === 'string'
      ? output
      : isRecord(output) && typeof output.text === 'string'
        ? output.text
        : undefined;
  if (text === undefined) return undefined;
  const parsed = parseJsonText(text);
  if (!parsed.ok) return undefined;
  const calls = readToolCallList(parsed.value);
  return calls === undefined || calls.length === 0 ? undefined : calls;
}
