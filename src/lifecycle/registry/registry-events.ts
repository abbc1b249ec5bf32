import type { Task } from '../../core/task.js';
import type { ModelRegistryError } from '../../errors/registry-error.js';

/**
 * Why the registry unloaded a model:
 * - `'count'`: it was the least recently used idle model and a load needed its slot under `maxModels`;
 * - `'memory'`: it was the least recently used idle model and a load (or a measurement larger than
 *   the estimate, or a release) needed its memory under `maxMemoryBytes`;
 * - `'lru'`: `trim()` unloaded it, least recently used first (e.g. under memory pressure);
 * - `'explicit'`: `unload()` or `close()`.
 */
export type ModelUnloadReason = 'lru' | 'memory' | 'count' | 'explicit';

/** Emitted when a model was loaded into the registry. */
export interface ModelLoadedEvent {
  readonly modelId: string;
  readonly task: Task;
  /** The dtype loaded, when the runner or the registry chose one. */
  readonly dtype: string | undefined;
  /** The memory the registry accounts for it: the model's measured `memoryBytes`, else the estimate, else 0. */
  readonly memoryBytes: number;
  /** The estimate made before loading, from the candidate's ONNX file sizes and the dtype. */
  readonly estimatedMemoryBytes: number | undefined;
  /** Milliseconds from the start of the load (including waiting for evicted models to be disposed). */
  readonly loadMs: number;
}

/** Emitted when a model was unloaded (its `dispose()` settled). */
export interface ModelUnloadedEvent {
  readonly modelId: string;
  readonly task: Task;
  readonly dtype: string | undefined;
  /** The memory the registry accounted for it. */
  readonly memoryBytes: number;
  readonly reason: ModelUnloadReason;
  /** What `dispose()` rejected with, when it failed (the model is forgotten all the same). */
  readonly error?: unknown;
}

/** Emitted when a load failed (not when every caller aborted it, nor when the registry closed). */
export interface ModelLoadFailedEvent {
  readonly modelId: string;
  readonly task: Task;
  /** The dtype asked for or chosen, when there was one. */
  readonly dtype: string | undefined;
  /** A `ModelRegistryError` with reason `'load-failed'`; its `cause` is what the runner threw. */
  readonly error: ModelRegistryError;
}

/** Events of a model registry (`registry.events`, an eventemitter3 `EventEmitter`). */
export interface ModelRegistryEvents {
  model_loaded: [event: ModelLoadedEvent];
  model_unloaded: [event: ModelUnloadedEvent];
  model_load_failed: [event: ModelLoadFailedEvent];
}
