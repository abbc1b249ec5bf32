/** Counters and gauges of a model registry, from `registry.statistics()`. */
export interface ModelRegistryStatistics {
  /** Requests served by a model already loaded. */
  readonly hits: number;
  /** Requests that started a load or waited for one in flight. */
  readonly misses: number;
  /** Loads that succeeded. */
  readonly loads: number;
  /** Loads that failed (not counting loads every caller aborted). */
  readonly loadFailures: number;
  /** Models unloaded to make room or by `trim()` (reasons `'count'`, `'memory'`, `'lru'`). */
  readonly evictions: number;
  /** Models unloaded by `unload()` or `close()`. */
  readonly explicitUnloads: number;
  /** Models loaded now (including those `unload()` waits to dispose until released). */
  readonly models: number;
  /** Models pinned by leases now. */
  readonly modelsInUse: number;
  /** Loads in flight now. */
  readonly loading: number;
  /** Memory the loaded models take, in bytes (measured when known, else estimated). */
  readonly memoryBytes: number;
  /** Memory reserved, in bytes, for the loads in flight (their estimates). */
  readonly reservedMemoryBytes: number;
  /** The `maxModels` limit. */
  readonly maxModels: number;
  /** The `maxMemoryBytes` limit. */
  readonly maxMemoryBytes: number;
}
