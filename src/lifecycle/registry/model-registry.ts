import type { EventEmitter } from 'eventemitter3';
import type { ModelCandidate } from '../../core/model-candidate.js';
import type { Task } from '../../core/task.js';
import type { LoadedModel } from '../../evaluation/spec.js';
import type { ModelLease } from './model-lease.js';
import type { RegisteredModel } from './registered-model.js';
import type { ModelRegistryEvents } from './registry-events.js';
import type { ModelRegistryStatistics } from './registry-statistics.js';

/** What a caller asks the registry for. */
export interface ModelRegistryRequest {
  /** The task to load the model for; a model loaded for another task is a different entry. */
  readonly task: Task;
  /**
   * The weight type, e.g. `'q8'`. Without it, a model already loaded for the task is handed out
   * whatever its dtype; otherwise the registry picks the first of its `dtypePreference` that the
   * candidate has and that fits the memory budget.
   */
  readonly dtype?: string;
  /**
   * Stops this caller's wait: it rejects with the signal's reason. The load goes on for the other
   * callers waiting for it; when the last one aborts, the load is abandoned (its runner's signal
   * aborts and whatever it loaded is disposed).
   */
  readonly signal?: AbortSignal;
}

/** Which of a model's entries an operation applies to: every one of the id when omitted. */
export interface RegistryModelFilter {
  readonly task?: Task;
  readonly dtype?: string;
}

/** Limits `trim()` unloads idle models down to; without either, it unloads every idle model. */
export interface RegistryTrimLimits {
  /** The most models left loaded. @default no limit when `maxMemoryBytes` is given, else 0 */
  readonly maxModels?: number;
  /** The most memory, in bytes, left loaded. @default no limit when `maxModels` is given, else 0 */
  readonly maxMemoryBytes?: number;
}

/**
 * A memory-bounded set of loaded models, shared by the callers of one process. A model is one
 * entry per id, task and dtype. A hit of `getOrLoad` is a map lookup that allocates nothing (it
 * returns the entry's already-resolved promise). Misses load once however many callers ask at
 * the same time (single flight), after unloading idle models, least recently used first, to make
 * room under `maxModels` and `maxMemoryBytes`. Models pinned by leases
 * ({@link ModelRegistry.acquire}, {@link ModelRegistry.use}) are never unloaded to make room.
 */
export interface ModelRegistry {
  /** `model_loaded`, `model_unloaded`, `model_load_failed`. */
  readonly events: EventEmitter<ModelRegistryEvents>;
  /**
   * The loaded model, loading it first when needed. The model is not pinned: a later load may
   * unload it to make room (its `predict` then rejects with a `RunnerError`, `'disposed'`). Use
   * {@link ModelRegistry.use} or {@link ModelRegistry.acquire} to keep it loaded while you use it.
   *
   * `model` is a candidate or an id (looked up with the registry's `provider`); ask for a model by
   * the same id each time. Rejects with a `ModelRegistryError` (`'too-large'`, `'no-room'`,
   * `'no-runner'`, `'load-failed'`, `'closed'`), an `InvalidArgumentError` for an invalid
   * request, or the signal's reason.
   */
  getOrLoad(model: ModelCandidate | string, request: ModelRegistryRequest): Promise<LoadedModel>;
  /**
   * As {@link ModelRegistry.getOrLoad}, pinning the model until the lease is released: it is not
   * unloaded to make room, nor by `unload()`, meanwhile. Release it in a `finally`.
   */
  acquire(model: ModelCandidate | string, request: ModelRegistryRequest): Promise<ModelLease>;
  /**
   * Runs `run` with the model pinned, and releases it when `run` settles (whether it resolves or
   * throws); resolves to what `run` returns.
   *
   * @example
   * ```ts
   * const labels = await registry.use('modelscout/sst2-bow-logreg', { task: 'text-classification' },
   *   (model) => model.predict(['a gorgeous film']));
   * ```
   */
  use<Result>(
    model: ModelCandidate | string,
    request: ModelRegistryRequest,
    run: (model: LoadedModel) => Result | Promise<Result>,
  ): Promise<Result>;
  /** The loaded model of `id` (the most preferred dtype when several), without loading or counting a use. */
  peek(id: string, filter?: RegistryModelFilter): LoadedModel | undefined;
  /**
   * Unloads the models of `id` (every task and dtype unless `filter` says which) and resolves
   * when the idle ones are disposed. A model in use is no longer handed out and is disposed when
   * its last lease is released. Resolves to whether the id had a loaded model. Loads in flight
   * are not affected.
   */
  unload(id: string, filter?: RegistryModelFilter): Promise<boolean>;
  /**
   * Unloads idle models, least recently used first, until the loaded ones are within `limits`
   * (without limits: every idle model), e.g. when the process is under memory pressure. Models in
   * use stay. Resolves to the number unloaded, once they are disposed.
   */
  trim(limits?: RegistryTrimLimits): Promise<number>;
  /** The models loaded, most recently used first. */
  list(): RegisteredModel[];
  /** Hits, misses, loads, evictions and the memory in use. */
  statistics(): ModelRegistryStatistics;
  /**
   * Disposes every model (in use or not), abandons the loads in flight (their callers get a
   * `ModelRegistryError`, `'closed'`) and resolves when everything is disposed. Later requests
   * reject with `'closed'`. Calling it again returns the same promise.
   */
  close(): Promise<void>;
}
