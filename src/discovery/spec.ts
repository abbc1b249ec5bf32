import type { ModelCandidate } from '../core/model-candidate.js';
import type { Modality, Task } from '../core/task.js';

/** What a provider is asked for. Providers apply what they can; the discovery service filters the rest. */
export interface ProviderQuery {
  /** Free text. */
  readonly text?: string;
  readonly task?: Task;
  readonly modality?: Modality;
  readonly library?: string;
  /** The most candidates wanted. */
  readonly limit?: number;
  /** Aborts the listing. */
  readonly signal?: AbortSignal;
}

/**
 * A source of models (the Hugging Face Hub, the local cache, Ollama, an OpenAI-compatible server,
 * a catalog). Implementations normalize their records to {@link ModelCandidate} and must pass
 * `providerConformance` from `modelscout/testing`.
 */
export interface ModelProvider {
  readonly specificationVersion: 'v1';
  /** A stable name, e.g. `'huggingface'`, `'ollama'`. */
  readonly name: string;
  /** Lists candidates matching `query`, following the source's pagination. */
  listModels(query: ProviderQuery): AsyncIterable<ModelCandidate>;
  /** Details of one model, or `undefined` when the provider does not have it. */
  getModel(
    id: string,
    options?: { readonly revision?: string; readonly signal?: AbortSignal },
  ): Promise<ModelCandidate | undefined>;
}
