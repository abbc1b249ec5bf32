import type { JsonValue } from '../store/spec.js';
import type { Modality, Task } from './task.js';

/** One file of a model repository. */
export interface ModelFile {
  /** Path inside the repository, e.g. `'onnx/model_quantized.onnx'`. */
  readonly path: string;
  /** Size in bytes, when known. */
  readonly sizeBytes?: number;
  /** Content hash (sha256 for LFS files), when known. */
  readonly sha256?: string;
}

/** Price of a hosted model, in US dollars. */
export interface ModelPricing {
  /** Dollars per one million input tokens. */
  readonly inputPerMillionTokensUsd?: number;
  /** Dollars per one million output tokens. */
  readonly outputPerMillionTokensUsd?: number;
  /** Dollars per request, when priced per request. */
  readonly perRequestUsd?: number;
}

/**
 * A copy of a model on this machine, as a local provider (the Hugging Face cache, a folder of
 * models) found it. The discovery service lists these on the candidate it merges from the Hub's
 * record and the local ones, so a host can tell what is already downloaded and whether it is current.
 */
export interface LocalModelCopy {
  /** The provider that found it, e.g. `'hf-cache'` or `'local-directory'`. */
  readonly provider: string;
  /** The folder holding its files, when the provider reports it. */
  readonly path?: string;
  /** The commit of the copy; differs from the candidate's `revision` when the Hub has a newer one. */
  readonly revision?: string;
  /** The files present locally. */
  readonly files?: readonly ModelFile[];
  /** The weight types present locally, e.g. `['q8']` when only the quantized ONNX file was downloaded. */
  readonly dtypes?: readonly string[];
  /** Total size of the local files in bytes. */
  readonly sizeBytes?: number;
}

/**
 * A model as modelscout knows it, whatever provider found it. Only `id` is required; the more a
 * provider fills in, the more constraints and filters can act on it.
 */
export interface ModelCandidate {
  /** The model's id, unique within its provider, e.g. `'Xenova/distilbert-base-uncased-finetuned-sst-2-english'`. */
  readonly id: string;
  /** The provider that found it, e.g. `'huggingface'`, `'ollama'`, `'openai-compatible'`. */
  readonly provider?: string;
  /** Tasks it performs, in `@huggingface/tasks` pipeline names. */
  readonly tasks?: readonly Task[];
  /** Modalities of its tasks. */
  readonly modalities?: readonly Modality[];
  /** Capability tags, e.g. `'json-mode'`, `'tools'`, `'vision'`, `'transformers.js'`. */
  readonly capabilities?: readonly string[];
  /** Library it runs with, e.g. `'transformers.js'`, `'onnx'`, `'gguf'`. */
  readonly library?: string;
  /** Model family, e.g. `'llama'` or `'bert'`; used for ensemble diversity. */
  readonly family?: string;
  /** License, as an SPDX id when known (e.g. `'apache-2.0'`, `'mit'`, `'cc-by-nc-4.0'`). */
  readonly license?: string;
  /** Whether the repository is gated (access must be requested). */
  readonly gated?: boolean;
  /** Total size of the weights in bytes. */
  readonly sizeBytes?: number;
  /** Number of parameters. */
  readonly parameters?: number;
  /** Memory needed to run it, in bytes, when known or estimated. */
  readonly memoryBytes?: number;
  /** Weight types available, e.g. `['fp32', 'fp16', 'q8', 'q4']`. */
  readonly dtypes?: readonly string[];
  /** Files of the repository. */
  readonly files?: readonly ModelFile[];
  /** The commit (revision sha) this record describes. */
  readonly revision?: string;
  /** Context window in tokens (language models). */
  readonly contextLength?: number;
  /** Price, for hosted models. */
  readonly pricing?: ModelPricing;
  /** Measured or published metrics, e.g. `{ accuracy: 0.91, latencyMs: 12 }`. */
  readonly metrics?: Readonly<Record<string, number>>;
  /** Downloads (Hub popularity signal). */
  readonly downloads?: number;
  /** Likes (Hub popularity signal). */
  readonly likes?: number;
  /** Last modification time, ISO 8601. */
  readonly lastModified?: string;
  /**
   * Every provider that has this model, the one named by `provider` first. Set by the discovery
   * service, which merges the same Hugging Face repository found by several providers (the Hub,
   * the cache, a local folder) into one candidate.
   */
  readonly providers?: readonly string[];
  /**
   * Other ids this model is known by, e.g. the old id of a renamed Hugging Face repository
   * (the Hub redirects it to `id`).
   */
  readonly aliases?: readonly string[];
  /** The folder on this machine holding the model's files, for models found on disk. */
  readonly localPath?: string;
  /** The copies of this model on this machine (set by the discovery service when merging). */
  readonly localCopies?: readonly LocalModelCopy[];
  /** The provider's own record, untouched. */
  readonly raw?: JsonValue;
}
