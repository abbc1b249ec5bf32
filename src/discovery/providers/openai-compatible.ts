import type { ModelCandidate } from '../../core/model-candidate.js';
import type { Task } from '../../core/task.js';
import type { JsonValue } from '../../store/spec.js';
import type { ModelProvider, ProviderQuery } from '../spec.js';
import { fetchJson, type HttpClientOptions, isJsonObject, unexpectedShape } from './http-json.js';
import { queryLimit } from './provider-query-filter.js';
import {
  matchesRemoteQuery,
  modalitiesOf,
  nonEmptyString,
  nonNegativeNumber,
  withoutUndefined,
} from './remote-provider-query.js';

/** Options of {@link openAICompatible}. */
export interface OpenAICompatibleOptions extends HttpClientOptions {
  /**
   * The API root as OpenAI clients take it, e.g. `'http://127.0.0.1:8000/v1'`; a bare origin
   * (`'http://127.0.0.1:8080'`) gets `/v1` appended. Models are listed from `{baseUrl}/models`.
   */
  readonly baseUrl: string;
  /** Sent as `Authorization: Bearer …`; never logged nor put into errors. No environment variable is read. */
  readonly apiKey?: string;
  /** The provider name, shown as each candidate's `provider`. @default 'openai-compatible' */
  readonly name?: string;
}

/** Defaults of {@link OpenAICompatibleOptions}. */
export const OPENAI_COMPATIBLE_DEFAULTS = Object.freeze({ name: 'openai-compatible' } as const);

type JsonObject = { readonly [key: string]: JsonValue };

/** `{baseUrl}/models`, with `/v1` added to a bare origin. */
export function openAIModelsUrl(baseUrl: string): string {
  const url = new URL(baseUrl);
  if (url.pathname === '/' || url.pathname === '') url.pathname = '/v1';
  url.pathname = `${url.pathname.replace(/\/+$/, '')}/models`;
  return url.toString();
}

const TASK_PATTERNS: readonly (readonly [RegExp, Task])[] = [
  [/embed|bge-|\be5-|gte-|minilm/i, 'feature-extraction'],
  [/whisper|transcribe/i, 'automatic-speech-recognition'],
  [/\btts\b|tts-/i, 'text-to-speech'],
  [/dall-e|gpt-image|stable-diffusion|flux/i, 'text-to-image'],
  [/moderation|rerank/i, 'text-classification'],
];

/** The task a model id suggests (OpenAI's listing has no task field): `text-generation` unless the id says otherwise. */
export function taskFromModelId(id: string): Task {
  for (const [pattern, task] of TASK_PATTERNS) if (pattern.test(id)) return task;
  return 'text-generation';
}

/**
 * Normalizes one entry of `GET /v1/models`, reading the extras vLLM (`max_model_len`) and
 * llama.cpp (`meta.n_ctx_train`, `meta.n_params`, `meta.size`; library `'gguf'`) add.
 */
export function openAICompatibleCandidate(record: JsonObject, provider: string): ModelCandidate | undefined {
  const id = nonEmptyString(record.id);
  if (id === undefined) return undefined;
  const meta = isJsonObject(record.meta) ? record.meta : undefined;
  const tasks: Task[] = [taskFromModelId(id)];
  return withoutUndefined({
    id,
    provider,
    tasks,
    modalities: modalitiesOf(tasks),
    library: meta === undefined ? undefined : 'gguf',
    contextLength: nonNegativeNumber(record.max_model_len) ?? nonNegativeNumber(meta?.n_ctx_train),
    parameters: nonNegativeNumber(meta?.n_params),
    sizeBytes: nonNegativeNumber(meta?.size),
    raw: record,
  });
}

/**
 * Models of a server speaking the OpenAI API (OpenAI, vLLM, llama.cpp's server, LM Studio,
 * LocalAI…), from `GET {baseUrl}/models`. `getModel` lists and finds, since not every server has
 * `GET /models/{id}`.
 */
export function openAICompatible(options: OpenAICompatibleOptions): ModelProvider {
  const { apiKey, name = OPENAI_COMPATIBLE_DEFAULTS.name } = options;
  const url = openAIModelsUrl(options.baseUrl);
  const headers: Record<string, string> = apiKey ? { authorization: `Bearer ${apiKey}` } : {};
  const secrets = apiKey ? [apiKey] : [];

  async function list(signal: AbortSignal | undefined): Promise<ModelCandidate[]> {
    const response = await fetchJson({ url, headers, signal, secrets }, options);
    if (!isJsonObject(response) || !Array.isArray(response.data))
      throw unexpectedShape(url, "expected { object: 'list', data: [...] }");
    const seen = new Set<string>();
    return response.data.filter(isJsonObject).flatMap((record) => {
      const candidate = openAICompatibleCandidate(record, name);
      if (candidate === undefined || seen.has(candidate.id)) return [];
      seen.add(candidate.id);
      return [candidate];
    });
  }

  return {
    specificationVersion: 'v1',
    name,
    async *listModels(query: ProviderQuery) {
      const limit = queryLimit(query);
      if (limit === 0) return;
      let yielded = 0;
      for (const candidate of await list(query.signal)) {
        if (!matchesRemoteQuery(candidate, query)) continue;
        yield candidate;
        if (++yielded >= limit) return;
      }
    },
    async getModel(id, { signal } = {}) {
      return (await list(signal)).find((candidate) => candidate.id === id);
    },
  };
}
