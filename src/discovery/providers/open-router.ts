import type { ModelCandidate, ModelPricing } from '../../core/model-candidate.js';
import type { Task } from '../../core/task.js';
import type { JsonValue } from '../../store/spec.js';
import type { ModelProvider, ProviderQuery } from '../spec.js';
import { fetchJson, type HttpClientOptions, isJsonObject, unexpectedShape } from './http-json.js';
import { queryLimit } from './provider-query-filter.js';
import {
  isoTime,
  matchesRemoteQuery,
  modalitiesOf,
  nonEmptyString,
  nonNegativeNumber,
  stringArray,
  withoutUndefined,
} from './remote-provider-query.js';

/** Options of {@link openRouter}. */
export interface OpenRouterOptions extends HttpClientOptions {
  /** Sent as `Authorization: Bearer …` (listing works without one); never put into errors. */
  readonly apiKey?: string;
  /** The API root. @default 'https://openrouter.ai/api/v1' */
  readonly baseUrl?: string;
}

/** Defaults of {@link OpenRouterOptions}. */
export const OPEN_ROUTER_DEFAULTS = Object.freeze({ baseUrl: 'https://openrouter.ai/api/v1' } as const);

type JsonObject = { readonly [key: string]: JsonValue };

/** US dollars per token (OpenRouter's decimal strings) → per million tokens; `undefined` when absent or negative (router models price `-1`). */
function perMillion(value: JsonValue | undefined): number | undefined {
  const dollars = usd(value);
  return dollars === undefined ? undefined : Number((dollars * 1_000_000).toPrecision(12));
}

/** A price in US dollars from a decimal string or number; `undefined` when absent or negative. */
function usd(value: JsonValue | undefined): number | undefined {
  const number = typeof value === 'string' ? Number(value) : typeof value === 'number' ? value : Number.NaN;
  return Number.isFinite(number) && number >= 0 ? number : undefined;
}

/** OpenRouter `pricing` → {@link ModelPricing}; `perRequestUsd` only when a request costs something. */
export function openRouterPricing(pricing: JsonValue | undefined): ModelPricing | undefined {
  if (!isJsonObject(pricing)) return undefined;
  const perRequest = usd(pricing.request);
  const result = withoutUndefined<ModelPricing>({
    inputPerMillionTokensUsd: perMillion(pricing.prompt),
    outputPerMillionTokensUsd: perMillion(pricing.completion),
    perRequestUsd: perRequest !== undefined && perRequest > 0 ? perRequest : undefined,
  });
  return Object.keys(result).length > 0 ? result : undefined;
}

const PARAMETER_CAPABILITIES: Readonly<Record<string, readonly string[]>> = {
  tools: ['tools'],
  response_format: ['json-mode'],
  structured_outputs: ['json-mode', 'structured-outputs'],
  reasoning: ['reasoning'],
  include_reasoning: ['reasoning'],
  logprobs: ['logprobs'],
  web_search_options: ['web-search'],
};

/**
 * Capability tags of an OpenRouter model: from `supported_parameters` (`'tools'`; `'json-mode'`
 * for `response_format`/`structured_outputs`; `'structured-outputs'`; `'reasoning'`; `'logprobs'`)
 * and modalities (`'vision'` for image input, `'audio-input'`, `'file-input'`, `'image-output'`).
 */
export function openRouterCapabilities(record: JsonObject): string[] {
  const architecture = isJsonObject(record.architecture) ? record.architecture : {};
  const input = stringArray(architecture.input_modalities);
  const output = stringArray(architecture.output_modalities);
  const tags = stringArray(record.supported_parameters).flatMap((name) => PARAMETER_CAPABILITIES[name] ?? []);
  if (input.includes('image')) tags.push('vision');
  if (input.includes('audio')) tags.push('audio-input');
  if (input.includes('file')) tags.push('file-input');
  if (output.includes('image')) tags.push('image-output');
  return [...new Set(tags)];
}

/** Normalizes one entry of OpenRouter's `GET /models`. */
export function openRouterCandidate(record: JsonObject): ModelCandidate | undefined {
  const id = nonEmptyString(record.id);
  if (id === undefined) return undefined;
  const architecture = isJsonObject(record.architecture) ? record.architecture : {};
  const input = stringArray(architecture.input_modalities);
  const output = stringArray(architecture.output_modalities);
  const tasks: Task[] = [];
  if (output.includes('text') || output.length === 0) tasks.push('text-generation');
  if (output.includes('text') && input.includes('image')) tasks.push('image-text-to-text');
  if (output.includes('image')) tasks.push('text-to-image');
  const topProvider = isJsonObject(record.top_provider) ? record.top_provider : {};
  const tokenizer = nonEmptyString(architecture.tokenizer)?.toLowerCase();
  const capabilities = openRouterCapabilities(record);
  return withoutUndefined({
    id,
    provider: 'openrouter',
    tasks,
    modalities: modalitiesOf(tasks),
    capabilities: capabilities.length > 0 ? capabilities : undefined,
    family: tokenizer === 'other' ? undefined : tokenizer,
    contextLength: nonNegativeNumber(record.context_length) ?? nonNegativeNumber(topProvider.context_length),
    pricing: openRouterPricing(record.pricing),
    lastModified: isoTime(record.created),
    raw: record,
  });
}

/**
 * Models OpenRouter routes to, from `GET {baseUrl}/models`: context length, pricing (per million
 * tokens), capabilities and modalities. Provider name `'openrouter'`. `getModel` lists and finds.
 */
export function openRouter(options: OpenRouterOptions = {}): ModelProvider {
  const { apiKey, baseUrl = OPEN_ROUTER_DEFAULTS.baseUrl } = options;
  const url = `${baseUrl.replace(/\/+$/, '')}/models`;
  const headers: Record<string, string> = apiKey ? { authorization: `Bearer ${apiKey}` } : {};
  const secrets = apiKey ? [apiKey] : [];

  async function list(
    signal: AbortSignal | undefined,
  ): Promise<{ candidate: ModelCandidate; name?: string }[]> {
    const response = await fetchJson({ url, headers, signal, secrets }, options);
    if (!isJsonObject(response) || !Array.isArray(response.data))
      throw unexpectedShape(url, 'expected { data: [...] }');
    const seen = new Set<string>();
    return response.data.filter(isJsonObject).flatMap((record) => {
      const candidate = openRouterCandidate(record);
      if (candidate === undefined || seen.has(candidate.id)) return [];
      seen.add(candidate.id);
      return [{ candidate, name: nonEmptyString(record.name) }];
    });
  }

  return {
    specificationVersion: 'v1',
    name: 'openrouter',
    async *listModels(query: ProviderQuery) {
      const limit = queryLimit(query);
      if (limit === 0) return;
      let yielded = 0;
      for (const { candidate, name } of await list(query.signal)) {
        if (!matchesRemoteQuery(candidate, query, [name])) continue;
        yield candidate;
        if (++yielded >= limit) return;
      }
    },
    async getModel(id, { signal } = {}) {
      return (await list(signal)).find(({ candidate }) => candidate.id === id)?.candidate;
    },
  };
}
