import type { ModelCandidate } from '../../core/model-candidate.js';
import type { Task } from '../../core/task.js';
import {
  fetchJson,
  type HttpClientOptions,
  isJsonObject,
  redact,
  unexpectedShape,
} from '../../discovery/providers/http-json.js';
import { InvalidArgumentError } from '../../errors/invalid-argument-error.js';
import { RunnerError } from '../../errors/runner-error.js';
import type { JsonValue } from '../../store/spec.js';
import type { InferenceRunner, LoadedModel, Prediction } from '../spec.js';
import {
  type GenerationOutput,
  generationOutput,
  type ToolDefinition,
  toolCallOf,
} from './generation-input.js';
import { malformedChunk, parseChunk, postStream } from './http-stream.js';
import { createManagedModel } from './managed-model.js';
import {
  embeddingTexts,
  fromProvider,
  generationInput,
  listsTask,
  REMOTE_RUNNER_TASKS,
  since,
  streamedError,
  truncatedStream,
} from './remote-runner-support.js';

/** Options of {@link openAICompatibleRunner}. */
export interface OpenAICompatibleRunnerOptions extends HttpClientOptions {
  /**
   * The API root as OpenAI clients take it, e.g. `'http://127.0.0.1:8000/v1'`; a bare origin
   * (`'http://127.0.0.1:8080'`) gets `/v1` appended. Calls `{baseUrl}/chat/completions` and
   * `{baseUrl}/embeddings`.
   */
  readonly baseUrl: string;
  /** Sent as `Authorization: Bearer …`; never logged nor put into errors. No environment variable is read. */
  readonly apiKey?: string;
  /** The model name sent to the server, for every candidate. @default the candidate's id */
  readonly model?: string;
  /** Candidates of this provider are supported (and the candidate named by `model`). @default 'openai-compatible' */
  readonly provider?: string;
  /** Sampling temperature. @default 0 */
  readonly temperature?: number;
  /** Longest generation in tokens (`max_tokens`). @default the server's own default */
  readonly maxTokens?: number;
  /** Seed for servers that support reproducible sampling (`seed`). */
  readonly seed?: number;
  /** Tools offered with every request (an input's own `tools` replace them). */
  readonly tools?: readonly ToolDefinition[];
  /** JSON mode for every request, passed through as `response_format` (e.g. `{ type: 'json_object' }`). */
  readonly responseFormat?: JsonValue;
  /**
   * Whether to ask for token usage in the stream (`stream_options: { include_usage: true }`).
   * Turn off for servers that reject `stream_options`. @default true
   */
  readonly includeUsage?: boolean;
  /** Extra body fields sent with every chat request (e.g. `{ top_p: 1 }`). */
  readonly requestOptions?: Readonly<Record<string, JsonValue>>;
  /** Extra headers (e.g. an organization header). */
  readonly headers?: Readonly<Record<string, string>>;
}

/** Defaults of {@link OpenAICompatibleRunnerOptions}. */
export const OPENAI_COMPATIBLE_RUNNER_DEFAULTS = Object.freeze({
  name: 'openai-compatible',
  provider: 'openai-compatible',
  temperature: 0,
  includeUsage: true,
  /** Generation takes longer than a listing: 120 s per attempt (the HTTP client's default is 30 s). */
  timeoutMs: 120_000,
} as const);

/** `{baseUrl}/{path}`, with `/v1` added to a bare origin. */
export function openAIEndpoint(baseUrl: string, path: string): string {
  const url = new URL(baseUrl);
  if (url.pathname === '/' || url.pathname === '') url.pathname = '/v1';
  url.pathname = `${url.pathname.replace(/\/+$/, '')}/${path}`;
  return url.toString();
}

interface ToolCallDraft {
  name: string;
  argumentsText: string;
}

/**
 * Runs models behind an OpenAI-compatible API (OpenAI, vLLM, llama.cpp's server, LM Studio,
 * OpenRouter…): `text-generation` through `/chat/completions` streamed as server-sent events
 * (`data:` lines up to `[DONE]`) to time the first token, with usage tokens, streamed tool calls
 * accumulated into `{ text, toolCalls }`, and JSON mode passed through; `feature-extraction`
 * through `/embeddings`. Inputs of a batch are sent one after the other so that timings are not
 * mixed. The API key goes only into the `Authorization` header: errors never contain it. HTTP
 * failures, streams that break off or carry malformed events are `ApiCallError`s; an abort
 * rejects with the signal's reason.
 */
export function openAICompatibleRunner(options: OpenAICompatibleRunnerOptions): InferenceRunner {
  const {
    baseUrl,
    apiKey,
    model: fixedModel,
    provider = OPENAI_COMPATIBLE_RUNNER_DEFAULTS.provider,
    temperature = OPENAI_COMPATIBLE_RUNNER_DEFAULTS.temperature,
    maxTokens,
    seed,
    tools: defaultTools,
    responseFormat: defaultResponseFormat,
    includeUsage = OPENAI_COMPATIBLE_RUNNER_DEFAULTS.includeUsage,
    requestOptions = {},
  } = options;
  const name = OPENAI_COMPATIBLE_RUNNER_DEFAULTS.name;
  let chatUrl: string;
  let embeddingsUrl: string;
  try {
    chatUrl = openAIEndpoint(baseUrl, 'chat/completions');
    embeddingsUrl = openAIEndpoint(baseUrl, 'embeddings');
  } catch {
    throw new InvalidArgumentError({
      argument: 'baseUrl',
      value: '[not shown]',
      message: 'must be an absolute URL',
    });
  }
  const http: HttpClientOptions = {
    ...options,
    timeoutMs: options.timeoutMs ?? OPENAI_COMPATIBLE_RUNNER_DEFAULTS.timeoutMs,
  };
  const secrets = apiKey === undefined ? [] : [apiKey];
  const headers: Record<string, string> = {
    ...options.headers,
    ...(apiKey === undefined ? {} : { authorization: `Bearer ${apiKey}` }),
  };

  const supports = (candidate: ModelCandidate, task: Task) =>
    REMOTE_RUNNER_TASKS.includes(task) &&
    (fromProvider(candidate, provider) || (fixedModel !== undefined && candidate.id === fixedModel)) &&
    listsTask(candidate, task);

  async function generate(
    model: string,
    input: unknown,
    signal: AbortSignal | undefined,
  ): Promise<Prediction<GenerationOutput>> {
    const generation = generationInput(input);
    const tools = generation.tools ?? defaultTools;
    const responseFormat = generation.responseFormat ?? defaultResponseFormat;
    const body: Record<string, JsonValue> = {
      model,
      messages: generation.messages.map((message) => ({ role: message.role, content: message.content })),
      stream: true,
      temperature,
      ...(includeUsage ? { stream_options: { include_usage: true } } : {}),
      ...(maxTokens === undefined ? {} : { max_tokens: maxTokens }),
      ...(seed === undefined ? {} : { seed }),
      ...(tools === undefined || tools.length === 0 ? {} : { tools: tools as unknown as JsonValue }),
      ...(responseFormat === undefined ? {} : { response_format: responseFormat }),
      ...requestOptions,
    };
    let text = '';
    const drafts: ToolCallDraft[] = [];
    let data: string[] = [];
    let done = false;
    let finishReason: string | undefined;
    let usage: { completion?: number; prompt?: number } | undefined;
    let firstTokenMs: number | undefined;
    const started = performance.now();

    const dispatch = () => {
      if (data.length === 0) return;
      const payload = data.join('\n');
      data = [];
      if (done) throw malformedChunk(chatUrl, 'an event after [DONE]');
      if (payload.trim() === '[DONE]') {
        done = true;
        return;
      }
      const chunk = parseChunk(chatUrl, payload, secrets);
      if (!isJsonObject(chunk)) throw malformedChunk(chatUrl, 'not an object');
      const error = chunk.error;
      if (error !== undefined && error !== null) {
        throw streamedError(
          chatUrl,
          redact(
            isJsonObject(error) && typeof error.message === 'string' ? error.message : JSON.stringify(error),
            secrets,
          ),
        );
      }
      if (isJsonObject(chunk.usage)) {
        const { completion_tokens: completion, prompt_tokens: prompt } = chunk.usage;
        usage = {
          ...(typeof completion === 'number' ? { completion } : {}),
          ...(typeof prompt === 'number' ? { prompt } : {}),
        };
      }
      const choices = chunk.choices;
      if (!Array.isArray(choices)) throw malformedChunk(chatUrl, 'no choices array');
      for (const choice of choices) {
        if (!isJsonObject(choice)) throw malformedChunk(chatUrl, 'a choice is not an object');
        if (choice.index !== undefined && choice.index !== 0) continue;
        if (typeof choice.finish_reason === 'string') finishReason = choice.finish_reason;
        const delta = choice.delta;
        if (delta === undefined || delta === null) continue;
        if (!isJsonObject(delta)) throw malformedChunk(chatUrl, 'a delta is not an object');
        if (delta.content !== undefined && delta.content !== null) {
          if (typeof delta.content !== 'string') throw malformedChunk(chatUrl, 'delta content is not text');
          if (delta.content.length > 0) {
            firstTokenMs ??= since(started);
            text += delta.content;
          }
        }
        if (delta.tool_calls !== undefined && delta.tool_calls !== null) {
          if (!Array.isArray(delta.tool_calls)) throw malformedChunk(chatUrl, 'tool_calls is not an array');
          for (const call of delta.tool_calls) {
            if (!isJsonObject(call)) throw malformedChunk(chatUrl, 'a tool call is not an object');
            const index =
              typeof call.index === 'number' ? call.index : drafts.length === 0 ? 0 : drafts.length - 1;
            if (!Number.isInteger(index) || index < 0 || index > drafts.length)
              throw malformedChunk(chatUrl, `tool call index ${index}`);
            if (drafts[index] === undefined) drafts[index] = { name: '', argumentsText: '' };
            const draft = drafts[index]!;
            const fn = call.function;
            if (fn !== undefined && fn !== null) {
              if (!isJsonObject(fn)) throw malformedChunk(chatUrl, 'a tool call function is not an object');
              if (typeof fn.name === 'string') draft.name += fn.name;
              if (typeof fn.arguments === 'string') draft.argumentsText += fn.arguments;
            }
            firstTokenMs ??= since(started);
          }
        }
      }
    };

    await postStream(
      {
        url: chatUrl,
        body,
        headers,
        secrets,
        signal,
        onLine: (line) => {
          if (line === '') {
            dispatch();
            return;
          }
          if (line.startsWith(':')) return; // A comment (keep-alive).
          const colon = line.indexOf(':');
          const field = colon === -1 ? line : line.slice(0, colon);
          if (field !== 'data') return; // `event:`, `id:`, `retry:` carry nothing we use.
          const value = colon === -1 ? '' : line.slice(colon + 1);
          data.push(value.startsWith(' ') ? value.slice(1) : value);
        },
      },
      http,
    );
    dispatch();
    if (!done && finishReason === undefined)
      throw truncatedStream(chatUrl, "a finish_reason or 'data: [DONE]'");
    for (const [index, draft] of drafts.entries()) {
      if (draft === undefined || draft.name === '')
        throw malformedChunk(chatUrl, `tool call ${index} has no name`);
    }
    return {
      output: generationOutput(
        text,
        drafts.map((draft) => toolCallOf(draft.name, draft.argumentsText)),
      ),
      ...(usage?.completion === undefined ? {} : { tokens: usage.completion }),
      ...(usage?.prompt === undefined ? {} : { inputTokens: usage.prompt }),
      timings: { ...(firstTokenMs === undefined ? {} : { firstTokenMs }), totalMs: since(started) },
    };
  }

  async function embed(
    model: string,
    inputs: readonly unknown[],
    signal: AbortSignal | undefined,
  ): Promise<Prediction<number[]>[]> {
    const started = performance.now();
    const response = await fetchJson(
      {
        url: embeddingsUrl,
        method: 'POST',
        headers,
        secrets,
        body: { model, input: embeddingTexts(inputs) },
        signal,
      },
      http,
    );
    const data = isJsonObject(response) ? response.data : undefined;
    if (!Array.isArray(data) || data.length !== inputs.length) {
      throw unexpectedShape(embeddingsUrl, `expected ${inputs.length} embeddings`);
    }
    const vectors: number[][] = new Array(inputs.length);
    for (const [position, item] of data.entries()) {
      const index = isJsonObject(item) && typeof item.index === 'number' ? item.index : position;
      const embedding = isJsonObject(item) ? item.embedding : undefined;
      if (
        !Array.isArray(embedding) ||
        !embedding.every((value) => typeof value === 'number') ||
        vectors[index] !== undefined ||
        index >= inputs.length
      ) {
        throw unexpectedShape(embeddingsUrl, 'an embedding is not a number array with a distinct index');
      }
      vectors[index] = embedding as number[];
    }
    const totalMs = since(started);
    return vectors.map((vector) => ({ output: vector, timings: { totalMs } }));
  }

  async function load(
    candidate: ModelCandidate,
    task: Task,
    { signal }: { readonly dtype?: string; readonly signal?: AbortSignal } = {},
  ): Promise<LoadedModel> {
    signal?.throwIfAborted();
    if (!supports(candidate, task)) {
      throw new RunnerError({
        runner: name,
        modelId: candidate.id,
        reason: 'unsupported',
        message: `cannot run task '${task}' for this model`,
      });
    }
    const model = fixedModel ?? candidate.id;
    return createManagedModel<unknown, unknown>({
      runner: name,
      modelId: candidate.id,
      task,
      predictBatch: async (inputs, predictSignal) => {
        if (task === 'feature-extraction') return embed(model, inputs, predictSignal);
        const predictions: Prediction[] = [];
        for (const input of inputs) {
          predictSignal?.throwIfAborted();
          predictions.push(await generate(model, input, predictSignal));
        }
        return predictions;
      },
      release: async () => {},
    });
  }

  return { specificationVersion: 'v1', name, supports, load };
}
