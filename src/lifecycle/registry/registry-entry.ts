import type { Task } from '../../core/task.js';
import type { LoadedModel } from '../../evaluation/spec.js';

/** A model the registry holds, with its accounting. @internal */
export interface RegistryEntry {
  readonly id: string;
  readonly task: Task;
  readonly dtype: string | undefined;
  readonly model: LoadedModel;
  /** `Promise.resolve(model)`, made once: a hit returns it without allocating. */
  readonly resolved: Promise<LoadedModel>;
  /** The position of `dtype` in the dtype preference (lower is preferred). */
  readonly rank: number;
  readonly estimatedMemoryBytes: number | undefined;
  /** The bytes accounted: measured when the model reports them, else the estimate, else 0. */
  readonly memoryBytes: number;
  readonly measured: boolean;
  /** Leases holding it. */
  pins: number;
  /** Clock time of the last hand-out or release. */
  lastUsed: number;
  /** A counter value of the last hand-out or release: the least recently used has the smallest. */
  recency: number;
  /** `unload()` asked for it while in use: no longer handed out, disposed when the last lease is released. */
  unloadPending: boolean;
}
