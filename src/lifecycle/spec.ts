import type { ModelCandidate } from '../core/model-candidate.js';
import type { SelectedModels } from '../selection/selected-models.js';

/** Options of {@link Lifecycle.download}. */
export interface DownloadOptions {
  /** Branch, tag or commit. @default 'main' */
  readonly revision?: string;
  /** Weight type to fetch, e.g. `'q8'`; only its files are downloaded. */
  readonly dtype?: string;
  /** Glob patterns of files to fetch. */
  readonly allow?: readonly string[];
  /** Glob patterns of files to skip. */
  readonly ignore?: readonly string[];
  readonly signal?: AbortSignal;
}

/** What `checkForUpdates` found. */
export interface UpdateCheck {
  readonly modelId: string;
  readonly localRevision: string | undefined;
  readonly remoteRevision: string;
  readonly updateAvailable: boolean;
}

/**
 * Everything between "this model was selected" and "it is loaded, current and not eating the
 * disk": downloads into the Hugging Face cache layout, revisions, cache budget, a memory-bounded
 * registry of loaded models, fallbacks with circuit breakers. Implemented by the lifecycle issue.
 */
export interface Lifecycle {
  readonly specificationVersion: 'v1';
  /** Downloads a model snapshot; resolves to its local path. */
  download(modelId: string, options?: DownloadOptions): Promise<string>;
  /** Compares the local revision with the remote one. */
  checkForUpdates(modelId: string): Promise<UpdateCheck>;
  /**
   * Runs `run` on the selected primary; on failure or timeout moves down the fallback chain,
   * recording every outcome.
   */
  withFallback<Result>(
    selected: SelectedModels,
    run: (candidate: ModelCandidate) => Promise<Result>,
  ): Promise<Result>;
}
