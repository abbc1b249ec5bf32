import type { CacheError } from '../../errors/cache-error.js';
import type { CacheBudgetCheck, CachePruneResult, CacheRevisionRemovalReason } from './prune-plan.js';

/** Emitted for each revision an executed plan removed. */
export interface CacheEvictedEvent {
  readonly modelId: string;
  readonly commit: string;
  /** The refs that pointed to it (removed with it). */
  readonly refs: readonly string[];
  readonly reason: CacheRevisionRemovalReason;
  /** Its `lastAccess` when the plan was made. */
  readonly lastAccess: number;
  /** Bytes actually freed by removing it (its snapshot, refs and the blobs only it linked to). */
  readonly freedBytes: number;
}

/** Emitted for each kept revision an executed plan removed unused dtype variants from. */
export interface CacheFilesRemovedEvent {
  readonly modelId: string;
  readonly commit: string;
  /** Paths inside the repository of the files removed, e.g. `['onnx/model_fp16.onnx']`. */
  readonly paths: readonly string[];
  /** The dtypes removed, e.g. `['fp16', 'fp32']`. */
  readonly dtypes: readonly string[];
  /** Bytes actually freed (the blobs no remaining entry links to). */
  readonly freedBytes: number;
}

/** Emitted when a plan was executed (after its `cache_evicted` and `cache_files_removed` events). */
export interface CachePrunedEvent {
  readonly result: CachePruneResult;
}

/** Emitted when an executed plan could not make the cache fit its budget (pins, blobs in use). */
export interface CacheBudgetExceededEvent {
  readonly budget: CacheBudgetCheck;
  /** The cache's size once the plan is executed, as planned. */
  readonly sizeOnDisk: number;
}

/** Emitted when executing a plan failed to remove entries; the same error is thrown. */
export interface CacheErrorEvent {
  readonly error: CacheError;
}

/** Events of a cache manager (`createCacheManager`). */
export interface CacheEvents {
  cache_evicted: [event: CacheEvictedEvent];
  cache_files_removed: [event: CacheFilesRemovedEvent];
  cache_pruned: [event: CachePrunedEvent];
  cache_budget_exceeded: [event: CacheBudgetExceededEvent];
  cache_error: [event: CacheErrorEvent];
}
