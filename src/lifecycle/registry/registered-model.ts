import type { Task } from '../../core/task.js';

/** A model the registry holds, as `registry.list()` describes it. */
export interface RegisteredModel {
  readonly id: string;
  readonly task: Task;
  /** The dtype loaded, when the runner or the registry chose one. */
  readonly dtype: string | undefined;
  /** The memory the registry accounts for it: measured when the model reports it, else the estimate, else 0. */
  readonly memoryBytes: number;
  /** The estimate made before loading, from the candidate's file sizes and the dtype, when known. */
  readonly estimatedMemoryBytes: number | undefined;
  /** Whether `memoryBytes` is the model's own figure (its `memoryBytes`) rather than the estimate. */
  readonly measured: boolean;
  /** When it was last handed out or released, in the registry clock's milliseconds. */
  readonly lastUsed: number;
  /** Whether leases pin it (it is not unloaded until they are released). */
  readonly inUse: boolean;
  /** Leases holding it. */
  readonly leases: number;
  /** Whether `unload()` asked for it while in use: it is no longer handed out and is disposed when released. */
  readonly unloadPending: boolean;
}
