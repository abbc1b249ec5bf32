import { licenseGroup, normalizeLicense } from '../../core/license.js';
import type { ModelCandidate } from '../../core/model-candidate.js';
import type { Task } from '../../core/task.js';
import { ApiCallError } from '../../errors/api-call-error.js';
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

/** Options of {@link ollama}. */
export interface OllamaOptions extends HttpClientOptions {
  /**
   * The Ollama server, e.g. `'http://127.0.0.1:11434'`; a bare `host[:port]` as in `OLLAMA_HOST`
   * works too. @default process.env.OLLAMA_HOST, else 'http://127.0.0.1:11434'
   */
  readonly host?: string;
  /**
   * Whether `listModels` calls `/api/show` for each listed model, to learn its context length,
   * capabilities (tools, vision, embedding…) and license. Without it only `/api/tags` data is used
   * and embedding models are recognized by family. @default true
   */
  readonly details?: boolean;
  /** How many `/api/show` calls run at once. @default 4 */
  readonly concurrency?: number;
}

/** Defaults of {@link OllamaOptions}. */
export const OLLAMA_DEFAULTS = Object.freeze({
  host: 'http://127.0.0.1:11434',
  port: 11434,
  details: true,
  concurrency: 4,
} as const);

type JsonObject = { readonly [key: string]: JsonValue };

/** The server URL for `host` (an URL or a bare `host[:port]`, as `OLLAMA_HOST` allows), without trailing slash. */
export function ollamaHost(host: string | undefined): string {
  const value = host?.trim();
  if (!value) return OLLAMA_DEFAULTS.host;
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(value) ? value : `http://${value}`;
  const url = new URL(withScheme);
  if (url.port === '' && withScheme !== value) url.port = String(OLLAMA_DEFAULTS.port);
  return url.toString().replace(/\/+$/, '');
}

/** Parses Ollama's `parameter_size` (`'8.0B'`, `'270M'`, `'1.2T'`, `'137M'`) to a count. */
export function parseParameterSize(value: unknown): number | undefined {
  if (typeof value !== 'string') return undefined;
  const match = /^\s*(\d+(?:\.\d+)?)\s*([KMBT]?)\s*$/i.exec(value);
  if (match === null) return undefined;
  const scale = { '': 1, K: 1e3, M: 1e6, B: 1e9, T: 1e12 }[(match[2] ?? '').toUpperCase()] ?? 1;
  return Math.round(Number(match[1]) * scale);
}

const LICENSE_PATTERNS: readonly (readonly [RegExp, string])[] = [
  [/apache license[\s\S]{0,80}version 2\.0/i, 'apache-2.0'],
  [/^\s*mit license|permission is hereby granted, free of charge/i, 'mit'],
  [/llama 3\.3 community license/i, 'llama3.3'],
  [/llama 3\.2 community license/i, 'llama3.2'],
  [/llama 3\.1 community license/i, 'llama3.1'],
  [/meta llama 3 community license/i, 'llama3'],
  [/llama 2 community license/i, 'llama2'],
  [/gemma terms of use/i, 'gemma'],
  [/creative commons attribution-noncommercial 4\.0/i, 'cc-by-nc-4.0'],
];

/**
 * The license id of an Ollama license text: a recognized license heading or, when the first line
 * is a known SPDX id, that id; `undefined` otherwise (the raw text is not kept).
 */
export function ollamaLicense(text: unknown): string | undefined {
  if (typeof text !== 'string') return undefined;
  const head = text.slice(0, 2000);
  for (const [pattern, id] of LICENSE_PATTERNS) if (pattern.test(head)) return id;
  const firstLine = head.split('\n').find((line) => line.trim().length > 0);
  const id = normalizeLicense(firstLine);
  return id !== undefined && licenseGroup(id) !== 'unknown' ? id : undefined;
}

const EMBEDDING_FAMILIES = new Set(['bert', 'nomic-bert', 'xlm-roberta', 'jina-bert-v2', 'gte', 'bge']);

function tasksOf(capabilities: readonly string[], families: readonly string[]): Task[] {
  const embedding =
    capabilities.length > 0
      ? capabilities.includes('embedding') && !capabilities.includes('completion')
      : families.some((family) => EMBEDDING_FAMILIES.has(family));
  if (embedding) return ['feature-extraction'];
  return capabilities.includes('vision') ? ['text-generation', 'image-text-to-text'] : ['text-generation'];
}

/** What `/api/tags`, `/api/show` and `/api/ps` say about one model. */
interface OllamaRecords {
  readonly tags?: JsonObject;
  readonly show?: JsonObject;
  readonly running?: JsonObject;
}

/**
 * Normalizes Ollama's records of one model. Loaded models (in `/api/ps`) get the capability
 * `'loaded'` and `memoryBytes` from their resident size.
 */
export function ollamaCandidate(id: string, { tags, show, running }: OllamaRecords): ModelCandidate {
  const details = isJsonObject(show?.details)
    ? show.details
    : isJsonObject(tags?.details)
      ? tags.details
      : {};
  const modelInfo = isJsonObject(show?.model_info) ? show.model_info : {};
  const architecture = nonEmptyString(modelInfo['general.architecture']);
  const family = nonEmptyString(details.family) ?? architecture;
  const families = [...new Set([...stringArray(details.families), ...(family ? [family] : [])])];
  const capabilities = stringArray(show?.capabilities);
  const tasks = tasksOf(capabilities, families);
  const quantization = nonEmptyString(details.quantization_level);
  const contextLength =
    architecture === undefined ? undefined : nonNegativeNumber(modelInfo[`${architecture}.context_length`]);
  const allCapabilities = [...capabilities, ...(running ? ['loaded'] : [])];
  const raw: Record<string, JsonValue> = {};
  if (tags) raw.tags = tags;
  if (show) {
    // The license, modelfile and template texts are long; keep the structured parts.
    const { license: _license, modelfile: _modelfile, template: _template, ...rest } = show;
    raw.show = rest;
  }
  if (running) raw.running = running;
  return withoutUndefined({
    id,
    provider: 'ollama',
    tasks,
    modalities: modalitiesOf(tasks),
    capabilities: allCapabilities.length > 0 ? allCapabilities : undefined,
    library: 'gguf',
    family,
    license: ollamaLicense(show?.license),
    sizeBytes: nonNegativeNumber(tags?.size),
    parameters:
      nonNegativeNumber(modelInfo['general.parameter_count']) ?? parseParameterSize(details.parameter_size),
    memoryBytes: nonNegativeNumber(running?.size),
    dtypes: quantization === undefined ? undefined : [quantization.toLowerCase()],
    revision: nonEmptyString(tags?.digest),
    contextLength,
    lastModified: isoTime(tags?.modified_at ?? show?.modified_at),
    raw,
  });
}

function modelName(record: JsonObject): string | undefined {
  return nonEmptyString(record.model) ?? nonEmptyString(record.name);
}

/** Whether two Ollama names denote the same model (`llama3` is `llama3:latest`). */
function sameModel(left: string, right: string): boolean {
  const full = (name: string) => (name.includes(':') ? name : `${name}:latest`);
  return full(left) === full(right);
}

/**
 * Models of an Ollama server: `/api/tags` for what is installed, `/api/show` for details
 * (family, parameters, quantization, context length, capabilities, license), `/api/ps` for what is
 * loaded. Candidates have provider `'ollama'`, library `'gguf'`, task `text-generation` (also
 * `image-text-to-text` with vision) or `feature-extraction` for embedding models.
 */
export function ollama(options: OllamaOptions = {}): ModelProvider {
  const host = ollamaHost(options.host ?? process.env.OLLAMA_HOST);
  const { details = OLLAMA_DEFAULTS.details, concurrency = OLLAMA_DEFAULTS.concurrency } = options;

  const call = (path: string, signal: AbortSignal | undefined, body?: JsonValue) =>
    fetchJson({ url: `${host}${path}`, method: body === undefined ? 'GET' : 'POST', body, signal }, options);

  async function listObjects(path: string, signal: AbortSignal | undefined): Promise<JsonObject[]> {
    const response = await call(path, signal);
    if (!isJsonObject(response) || !Array.isArray(response.models))
      throw unexpectedShape(`${host}${path}`, 'expected { models: [...] }');
    return response.models.filter(isJsonObject);
  }

  /** Loaded models; an empty list when the server has no `/api/ps` (older versions answer 404). */
  async function running(signal: AbortSignal | undefined): Promise<JsonObject[]> {
    try {
      return await listObjects('/api/ps', signal);
    } catch (error) {
      if (ApiCallError.isInstance(error) && error.statusCode === 404) return [];
      throw error;
    }
  }

  /** `/api/show` for `model`; `undefined` when the server does not have it. */
  async function show(model: string, signal: AbortSignal | undefined): Promise<JsonObject | undefined> {
    try {
      const response = await call('/api/show', signal, { model });
      if (!isJsonObject(response)) throw unexpectedShape(`${host}/api/show`, 'expected an object');
      return response;
    } catch (error) {
      if (ApiCallError.isInstance(error) && error.statusCode === 404) return undefined;
      throw error;
    }
  }

  return {
    specificationVersion: 'v1',
    name: 'ollama',
    async *listModels(query: ProviderQuery) {
      const limit = queryLimit(query);
      if (limit === 0) return;
      const { signal } = query;
      const [installed, loaded] = await Promise.all([listObjects('/api/tags', signal), running(signal)]);
      const named = installed.flatMap((tags) => {
        const id = modelName(tags);
        return id === undefined ? [] : [{ id, tags }];
      });
      let yielded = 0;
      for (let start = 0; start < named.length; start += Math.max(1, concurrency)) {
        const batch = named.slice(start, start + Math.max(1, concurrency));
        const candidates = await Promise.all(
          batch.map(async ({ id, tags }) => {
            const runningRecord = loaded.find((record) => sameModel(modelName(record) ?? '', id));
            const base = ollamaCandidate(id, { tags, running: runningRecord });
            // Skip the detail call for models the text filter already rules out.
            if (!details || !matchesRemoteQuery(base, { text: query.text }, [nonEmptyString(tags.name)]))
              return base;
            const shown = await show(id, signal);
            return ollamaCandidate(id, { tags, show: shown, running: runningRecord });
          }),
        );
        for (const [index, candidate] of candidates.entries()) {
          if (!matchesRemoteQuery(candidate, query, [nonEmptyString(batch[index]?.tags.name)])) continue;
          yield candidate;
          if (++yielded >= limit) return;
        }
      }
    },
    async getModel(id, { signal } = {}) {
      const shown = await show(id, signal);
      if (shown === undefined) return undefined;
      const [installed, loaded] = await Promise.all([listObjects('/api/tags', signal), running(signal)]);
      const tags = installed.find((record) => sameModel(modelName(record) ?? '', id));
      const canonical = tags === undefined ? id : (modelName(tags) ?? id);
      const runningRecord = loaded.find((record) => sameModel(modelName(record) ?? '', canonical));
      return ollamaCandidate(canonical, { tags, show: shown, running: runningRecord });
    },
  };
}
