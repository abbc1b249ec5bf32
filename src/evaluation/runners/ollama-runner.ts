import type { ModelCandidate } from '../../core/model-candidate.js';
import type { Task } from '../../core/task.js';
import {
  fetchJson,
  type HttpClientOptions,
  isJsonObject,
  unexpectedShape,
} from '../../discovery/providers/http-json.js';
import { ollamaHost } from '../../discovery/providers/ollama.js';
import { ModelscoutError } from '../../errors/modelscout-error.js';
import { RunnerError } from '../../errors/runner-error.js';
import type { JsonValue } from '../../store/spec.js';
import type { InferenceRunner, LoadedModel, Prediction, PredictionTimings } from '../spec.js';
import {
  type GeneratedToolCall,
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

/** Options of {@link ollamaRunner}. */
export interface OllamaRunnerOptions extends HttpClientOptions {
  /**
   * The Ollama server, e.g. `'http://127.0.0.1:11434'`; a bare `host[:port]` as in `OLLAMA_HOST`
   * works too. @default process.env.OLLAMA_HOST, else 'http://127.0.0.1:11434'
   */
  readonly host?: string;
  /**
   * Which API generates: `'chat'` (`/api/chat`, messages), `'generate'` (`/api/generate`, a
   * prompt), or `'auto'`: `/api/generate` for a prompt string without tools, `/api/chat` otherwise.
   * @default 'auto'
   */
  readonly endpoint?: 'auto' | 'chat' | 'generate';
  /** Ollama's model `options` (e.g. `{ num_ctx: 4096 }`), merged over `{ temperature: 0 }`. */
  readonly modelOptions?: Readonly<Record<string, JsonValue>>;
  /** Longest generation in tokens (`options.num_predict`). @default Ollama's own default */
  readonly maxTokens?: number;
  /** How long Ollama keeps the model loaded after a request (`keep_alive`, e.g. `'5m'` or `0`). @default Ollama's own default */
  readonly keepAlive?: string | number;
  /** Tools offered with every chat request (an input's own `tools` replace them). */
  readonly tools?: readonly ToolDefinition[];
  /** JSON mode for every request (`format`: `'json'` or a JSON Schema; an input's `responseFormat` replaces it). */
  readonly format?: JsonValue;
  /** Whether `load` asks Ollama to load a generator into memory (an empty `/api/generate`), and times it. @default true */
  readonly preload?: boolean;
  /** Whether `dispose` asks Ollama to unload the model (`keep_alive: 0`). Off by default: others may use it. @default false */
  readonly unloadOnDispose?: boolean;
  /** Candidates of this provider are supported. @default 'ollama' */
  readonly provider?: string;
}

/** Defaults of {@link OllamaRunnerOptions}. */
export const OLLAMA_RUNNER_DEFAULTS = Object.freeze({
  name: 'ollama',
  endpoint: 'auto',
  temperature: 0,
  preload: true,
  unloadOnDispose: false,
  provider: 'ollama',
  /** Generation takes longer than a listing: 120 s per attempt (the HTTP client's default is 30 s). */
  timeoutMs: 120_000,
} as const);

const NANOSECONDS_PER_MILLISECOND = 1e6;

function nonNegative(value: JsonValue | undefined): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : undefined;
}

/**
 * Runs Ollama models: `text-generation` through `/api/chat` (messages, tools) or `/api/generate`
 * (a prompt), streamed as NDJSON to time the first token; each prediction reports `tokens`
 * (`eval_count`), `inputTokens` (`prompt_eval_count`) and `timings` (`firstTokenMs`,
 * `tokensPerSecond` = `eval_count / eval_duration`, the server's `loadMs` = `load_duration`,
 * `totalMs`). `feature-extraction` goes through `/api/embed`. Inputs of a batch are sent one
 * after the other so that timings are not mixed. HTTP failures, streams that break off or carry
 * malformed chunks are `ApiCallError`s; an abort rejects with the signal's reason.
 */
export function ollamaRunner(options: OllamaRunnerOptions = {}): InferenceRunner {
  const {
    endpoint = OLLAMA_RUNNER_DEFAULTS.endpoint,
    modelOptions = {},
    maxTokens,
    keepAlive,
    tools: defaultTools,
    format: defaultFormat,
    preload = OLLAMA_RUNNER_DEFAULTS.preload,
    unloadOnDispose = OLLAMA_RUNNER_DEFAULTS.unloadOnDispose,
    provider = OLLAMA_RUNNER_DEFAULTS.provider,
  } = options;
  const name = OLLAMA_RUNNER_DEFAULTS.name;
  const host = ollamaHost(options.host ?? process.env.OLLAMA_HOST);
  const http: HttpClientOptions = {
    ...options,
    timeoutMs: options.timeoutMs ?? OLLAMA_RUNNER_DEFAULTS.timeoutMs,
  };
  const keepAliveField: Record<string, JsonValue> = keepAlive === undefined ? {} : { keep_alive: keepAlive };

  const supports = (candidate: ModelCandidate, task: Task) =>
    REMOTE_RUNNER_TASKS.includes(task) && fromProvider(candidate, provider) && listsTask(candidate, task);

  async function generate(
    model: string,
    input: unknown,
    signal: AbortSignal | undefined,
  ): Promise<Prediction<GenerationOutput>> {
    const generation = generationInput(input);
    const tools = generation.tools ?? defaultTools;
    const format = generation.responseFormat ?? defaultFormat;
    const useGenerate =
      endpoint === 'generate' ||
      (endpoint === 'auto' && generation.prompt !== undefined && (tools === undefined || tools.length === 0));
    const url = `${host}/api/${useGenerate ? 'generate' : 'chat'}`;
    const body: Record<string, JsonValue> = {
      model,
      stream: true,
      options: {
        temperature: OLLAMA_RUNNER_DEFAULTS.temperature,
        ...(maxTokens === undefined ? {} : { num_predict: maxTokens }),
        ...modelOptions,
      },
      ...keepAliveField,
      ...(format === undefined ? {} : { format }),
    };
    if (useGenerate) {
      const system = generation.messages
        .filter((message) => message.role === 'system')
        .map((message) => message.content);
      body.prompt =
        generation.prompt ??
        generation.messages
          .filter((message) => message.role !== 'system')
          .map((message) => message.content)
          .join('\n\n');
      if (system.length > 0) body.system = system.join('\n\n');
    } else {
      body.messages = generation.messages.map((message) => ({
        role: message.role,
        content: message.content,
      }));
      if (tools !== undefined && tools.length > 0) body.tools = tools as unknown as JsonValue;
    }
    let text = '';
    const toolCalls: GeneratedToolCall[] = [];
    let final: Record<string, JsonValue> | undefined;
    let firstTokenMs: number | undefined;
    const started = performance.now();
    await postStream(
      {
        url,
        body,
        signal,
        onLine: (line) => {
          if (line.trim() === '') return;
          if (final !== undefined) throw malformedChunk(url, 'data after the final chunk');
          const chunk = parseChunk(url, line);
          if (!isJsonObject(chunk)) throw malformedChunk(url, 'not an object');
          if (typeof chunk.error === 'string') throw streamedError(url, chunk.error);
          let piece: JsonValue | undefined;
          if (useGenerate) piece = chunk.response;
          else {
            const message = chunk.message;
            if (!isJsonObject(message)) throw malformedChunk(url, 'no message');
            piece = message.content ?? '';
            const calls = message.tool_calls;
            if (calls !== undefined) {
              if (!Array.isArray(calls)) throw malformedChunk(url, 'tool_calls is not an array');
              for (const call of calls) {
                const fn = isJsonObject(call) ? call.function : undefined;
                if (!isJsonObject(fn) || typeof fn.name !== 'string')
                  throw malformedChunk(url, 'a tool call without a function name');
                toolCalls.push(toolCallOf(fn.name, fn.arguments));
                firstTokenMs ??= since(started);
              }
            }
          }
          if (typeof piece !== 'string')
            throw malformedChunk(url, useGenerate ? 'no response text' : 'message content is not text');
          if (piece.length > 0) {
            firstTokenMs ??= since(started);
            text += piece;
          }
          if (chunk.done === true) final = chunk;
          else if (chunk.done !== false) throw malformedChunk(url, "no boolean 'done'");
        },
      },
      http,
    );
    if (final === undefined) throw truncatedStream(url, "its final chunk ('done: true')");
    const evalCount = nonNegative(final.eval_count);
    const evalDuration = nonNegative(final.eval_duration);
    const loadDuration = nonNegative(final.load_duration);
    const promptCount = nonNegative(final.prompt_eval_count);
    const timings: PredictionTimings = {
      ...(firstTokenMs === undefined ? {} : { firstTokenMs }),
      ...(evalCount !== undefined && evalDuration !== undefined && evalDuration > 0
        ? { tokensPerSecond: evalCount / (evalDuration / 1e9) }
        : {}),
      ...(loadDuration === undefined ? {} : { loadMs: loadDuration / NANOSECONDS_PER_MILLISECOND }),
      totalMs: since(started),
    };
    return {
      output: generationOutput(text, toolCalls),
      ...(evalCount === undefined ? {} : { tokens: Math.round(evalCount) }),
      ...(promptCount === undefined ? {} : { inputTokens: Math.round(promptCount) }),
      timings,
    };
  }

  async function embed(
    model: string,
    inputs: readonly unknown[],
    signal: AbortSignal | undefined,
  ): Promise<Prediction<number[]>[]> {
    const url = `${host}/api/embed`;
    const started = performance.now();
    const response = await fetchJson(
      { url, method: 'POST', body: { model, input: embeddingTexts(inputs), ...keepAliveField }, signal },
      http,
    );
    const embeddings = isJsonObject(response) ? response.embeddings : undefined;
    if (
      !Array.isArray(embeddings) ||
      embeddings.length !== inputs.length ||
      !embeddings.every(
        (vector) => Array.isArray(vector) && vector.every((value) => typeof value === 'number'),
      )
    ) {
      throw unexpectedShape(url, `expected ${inputs.length} embeddings`);
    }
    const totalMs = since(started);
    const loadDuration = isJsonObject(response) ? nonNegative(response.load_duration) : undefined;
    return (embeddings as number[][]).map((vector) => ({
      output: vector,
      timings: {
        totalMs,
        ...(loadDuration === undefined ? {} : { loadMs: loadDuration / NANOSECONDS_PER_MILLISECOND }),
      },
    }));
  }

  async function load(
    candidate: ModelCandidate,
    task: Task,
    { signal }: { readonly dtype?: string; readonly signal?: AbortSignal } = {},
  ): Promise<LoadedModel> {
    signal?.throwIfAborted();
    const model = candidate.id;
    if (!supports(candidate, task)) {
      throw new RunnerError({
        runner: name,
        modelId: model,
        reason: 'unsupported',
        message: `cannot run task '${task}' for this model`,
      });
    }
    let loadMs: number | undefined;
    if (preload && task === 'text-generation') {
      const started = performance.now();
      try {
        await fetchJson(
          {
            url: `${host}/api/generate`,
            method: 'POST',
            body: { model, stream: false, ...keepAliveField },
            signal,
          },
          http,
        );
      } catch (error) {
        if (signal?.aborted) throw signal.reason;
        throw new RunnerError({
          runner: name,
          modelId: model,
          reason: 'load-failed',
          message: `Ollama could not load it: ${error instanceof Error ? error.message : String(error)}`,
          cause: error,
        });
      }
      loadMs = since(started);
    }
    return createManagedModel<unknown, unknown>({
      runner: name,
      modelId: model,
      task,
      ...(loadMs === undefined ? {} : { loadMs }),
      predictBatch: async (inputs, predictSignal) => {
        if (task === 'feature-extraction') return embed(model, inputs, predictSignal);
        const predictions: Prediction[] = [];
        for (const input of inputs) {
          predictSignal?.throwIfAborted();
          predictions.push(await generate(model, input, predictSignal));
        }
        return predictions;
      },
      release: async () => {
        if (!unloadOnDispose) return;
        try {
          await fetchJson(
            { url: `${host}/api/generate`, method: 'POST', body: { model, keep_alive: 0, stream: false } },
            http,
          );
        } catch (error) {
          // Unloading is a courtesy: a server that is gone has nothing loaded.
          if (!ModelscoutError.isInstance(error)) throw error;
        }
      },
    });
  }

  return { specificationVersion: 'v1', name, supports, load };
}
