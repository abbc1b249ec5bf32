import type { JsonValue } from '../../store/spec.js';
import type { ToolCall } from '../task-score.js';

/** One chat message, as chat APIs take it. */
export interface ChatMessage {
  readonly role: 'system' | 'user' | 'assistant' | 'tool';
  readonly content: string;
}

/** A tool the model may call, in the OpenAI / Ollama function-tool shape. */
export interface ToolDefinition {
  readonly type: 'function';
  readonly function: {
    readonly name: string;
    readonly description?: string;
    /** JSON Schema of the arguments. */
    readonly parameters?: Readonly<Record<string, JsonValue>>;
  };
}

/**
 * A `text-generation` input: a prompt, chat messages, or an object with either and per-example
 * `tools` and `responseFormat` (which override the runner's).
 */
export type GenerationInput =
  | string
  | readonly ChatMessage[]
  | {
      readonly prompt?: string;
      readonly messages?: readonly ChatMessage[];
      readonly tools?: readonly ToolDefinition[];
      /**
       * JSON mode, passed through: OpenAI's `response_format` (e.g. `{ type: 'json_object' }`)
       * or, for Ollama, its `format` (`'json'` or a JSON Schema).
       */
      readonly responseFormat?: JsonValue;
    };

/** A tool call with the argument text as the model produced it (kept when it is not a JSON object). */
export interface GeneratedToolCall extends ToolCall {
  /** The arguments as streamed, when they did not parse to a JSON object (then `arguments` is `{}`). */
  readonly rawArguments?: string;
}

/** A `text-generation` output: the text, or the text with the tool calls the model made. */
export type GenerationOutput =
  | string
  | { readonly text: string; readonly toolCalls: readonly GeneratedToolCall[] };

/** A generation input in one shape. */
export interface NormalizedGeneration {
  /** Set when the input was a plain prompt string. */
  readonly prompt?: string;
  /** The messages (a prompt becomes one user message). */
  readonly messages: readonly ChatMessage[];
  readonly tools?: readonly ToolDefinition[];
  readonly responseFormat?: JsonValue;
}

function isMessages(value: unknown): value is readonly ChatMessage[] {
  return (
    Array.isArray(value) &&
    value.every(
      (message) =>
        message !== null &&
        typeof message === 'object' &&
        typeof (message as ChatMessage).role === 'string' &&
        typeof (message as ChatMessage).content === 'string',
    )
  );
}

/** The input in one shape, or `undefined` when it is not a {@link GenerationInput}. */
export function normalizeGenerationInput(input: unknown): NormalizedGeneration | undefined {
  if (typeof input === 'string') return { prompt: input, messages: [{ role: 'user', content: input }] };
  if (isMessages(input)) return { messages: input };
  if (input === null || typeof input !== 'object' || Array.isArray(input)) return undefined;
  const { prompt, messages, tools, responseFormat } = input as Exclude<
    GenerationInput,
    string | readonly ChatMessage[]
  >;
  const extras = {
    ...(tools === undefined ? {} : { tools }),
    ...(responseFormat === undefined ? {} : { responseFormat }),
  };
  if (typeof prompt === 'string') return { prompt, messages: [{ role: 'user', content: prompt }], ...extras };
  if (isMessages(messages)) return { messages, ...extras };
  return undefined;
}

/** Parses tool-call arguments (a JSON object as text, or already an object). */
export function toolCallOf(name: string, argumentsValue: unknown): GeneratedToolCall {
  if (argumentsValue !== null && typeof argumentsValue === 'object' && !Array.isArray(argumentsValue)) {
    return { name, arguments: argumentsValue as Record<string, unknown> };
  }
  const text = typeof argumentsValue === 'string' ? argumentsValue : '';
  if (text.trim() === '') return { name, arguments: {} };
  try {
    const parsed: unknown = JSON.parse(text);
    if (parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)) {
      return { name, arguments: parsed as Record<string, unknown> };
    }
  } catch {
    // Kept as raw text below.
  }
  return { name, arguments: {}, rawArguments: text };
}

/** `text`, or `{ text, toolCalls }` when the model called tools. */
export function generationOutput(text: string, toolCalls: readonly GeneratedToolCall[]): GenerationOutput {
  return toolCalls.length === 0 ? text : { text, toolCalls };
}
