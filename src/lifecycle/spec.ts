import type { EventEmitter } from 'eventemitter3';
import type { ModelCandidate } from '../core/model-candidate.js';
import type { LoadedModel } from '../evaluation/spec.js';
import type { CacheManager } from './cache/create-cache-manager.js';
import type { Downloader } from './download/create-downloader.js';
import type { DownloadResult } from './download/download-result.js';
import type { ModelUpdateCheck } from './download/model-update-check.js';
import type { CircuitBreakers } from './health/circuit-breakers.js';
import type { FallbackOptions } from './health/fallback-options.js';
import type { FallbackChain, FallbackResult, FallbackRun } from './health/with-fallback.js';
import type { LifecycleEvents } from './lifecycle-events.js';
import type { ModelRegistry, ModelRegistryRequest } from './registry/model-registry.js';
import type { Scheduler } from './scheduler/scheduler.js';

/** Options of {@link Lifecycle.download}. */
export interface DownloadOptions {
  /** Branch, tag or commit. @default 'main' */
  readonly revision?: string;
  /** Weight type to fetch, e.g. `'q8'`; only its ONNX files are downloaded. */
  readonly dtype?: string;
  /** Glob patterns of files to fetch. */
  readonly allow?: readonly string[];
  /** Glob patterns of files to skip. */
  readonly ignore?: readonly string[];
  readonly signal?: AbortSignal;
}

/** What {@link Lifecycle.withFallback} accepts per call, beyond the lifecycle's own settings. */
export type LifecycleFallbackOptions<Result> = Omit<
  FallbackOptions<Result>,
  'recordOutcome' | 'circuitBreakers' | 'clock'
>;

/**
 * Everything between "this model was selected" and "it is loaded, current and not eating the
 * disk": downloads into the Hugging Face cache layout, revisions, cache budget, a memory-bounded
 * registry of loaded models, fallbacks with circuit breakers, and scheduled upkeep.
 * `createLifecycle()` (and `scout.lifecycle`) implement it.
 */
export interface Lifecycle {
  readonly specificationVersion: 'v1';
  /** Downloads a model snapshot into the cache; resolves to its local path (`snapshots/<commit>`). */
  download(modelId: string, options?: DownloadOptions): Promise<string>;
  /** Like `download`, with what was fetched: commit, files, bytes, removed revisions. */
  downloadDetailed(modelId: string, options?: DownloadOptions): Promise<DownloadResult>;
  /** Compares the local commit of a revision with the remote one (and acts on the update policy). */
  checkForUpdates(
    modelId: string,
    options?: Pick<DownloadOptions, 'revision' | 'signal'>,
  ): Promise<ModelUpdateCheck>;
  /**
   * The loaded model, from the registry or loaded now: downloaded first when it is a Hub model
   * with no local copy, then loaded by the first runner that supports it, within the registry's
   * count and memory limits.
   */
  getOrLoad(model: ModelCandidate | string, request: ModelRegistryRequest): Promise<LoadedModel>;
  /**
   * Runs `run` on the selected primary; on failure or timeout moves down the fallback chain,
   * skipping models whose circuit is open and recording every outcome.
   */
  withFallback<Result>(
    selected: FallbackChain,
    run: FallbackRun<Result>,
    options?: LifecycleFallbackOptions<Result>,
  ): Promise<Result>;
  /** Like `withFallback`, with which model served and every attempt. */
  runWithFallback<Result>(
    selected: FallbackChain,
    run: FallbackRun<Result>,
    options?: LifecycleFallbackOptions<Result>,
  ): Promise<FallbackResult<Result>>;
  /** The cache folder: `scan()`, `prune()`, `enforceBudget()`, `verify()`, statistics. */
  readonly cache: CacheManager;
  /** The downloader behind `download` and `checkForUpdates`. */
  readonly downloader: Downloader;
  /** The loaded models behind `getOrLoad`. */
  readonly registry: ModelRegistry;
  /** One circuit breaker per model, shared by every `withFallback` call. */
  readonly circuitBreakers: CircuitBreakers;
  /** The upkeep jobs: `rediscovery`, `availability`, `performance`, `retention`. */
  readonly scheduler: Scheduler;
  /** Downloads, cache, registry, circuit, scheduler and availability events. */
  readonly events: EventEmitter<LifecycleEvents>;
  /** Stops the upkeep, waits for running jobs and unloads every model. */
  close(): Promise<void>;
}
