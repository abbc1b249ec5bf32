/**
 * What a prune would remove (`CacheManager.prune()` returns it without touching the disk) and
 * what executing it did. Like `huggingface_hub`'s `DeleteCacheStrategy`.
 * @module
 */
import type { StoreError } from '../../errors/store-error.js';

/** Why a revision is removed: to fit the size budget (LRU), or because no ref points to it. */
export type CacheRevisionRemovalReason = 'budget' | 'unused-revision';

/** A whole revision to remove: its snapshot folder, the refs pointing to it, the blobs only it links to. */
export interface CacheRevisionRemoval {
  readonly modelId: string;
  readonly commit: string;
  /** Refs pointing to it; they are removed with it. */
  readonly refs: readonly string[];
  /** Absolute path of the snapshot folder. */
  readonly snapshotPath: string;
  readonly reason: CacheRevisionRemovalReason;
  /** Its `lastAccess` when the plan was made. */
  readonly lastAccess: number;
  /** Bytes its removal frees: blobs no remaining snapshot links to, files held in the snapshot, its refs. */
  readonly freedBytes: number;
}

/** A file to remove from a revision that is kept: an ONNX weight file of an unused dtype. */
export interface CacheFileRemoval {
  readonly modelId: string;
  readonly commit: string;
  /** Path inside the repository, e.g. `'onnx/model_fp16.onnx'` (or its external data, `'onnx/model_fp16.onnx_data'`). */
  readonly path: string;
  /** Absolute path of the snapshot entry. */
  readonly filePath: string;
  /** The dtype of the variant it belongs to, e.g. `'fp16'`. */
  readonly dtype: string;
  readonly reason: 'unused-dtype';
  /** Bytes its removal frees: its blob when no remaining snapshot entry links to it. */
  readonly freedBytes: number;
}

/** A blob to remove: no snapshot entry links to it once the plan's snapshot entries are gone. */
export interface CacheBlobRemoval {
  readonly modelId: string;
  /** Absolute path, inside the repository's `blobs/` folder. */
  readonly path: string;
  readonly sizeOnDisk: number;
}

/** A ref file to remove: it points to a revision the plan removes. */
export interface CacheReferenceRemoval {
  readonly modelId: string;
  readonly name: string;
  readonly commit: string;
  /** Absolute path of the ref file. */
  readonly path: string;
  readonly sizeOnDisk: number;
}

/** A pinned revision, kept even though the cache does not fit its budget without removing it. */
export interface CachePinnedRevision {
  readonly modelId: string;
  readonly commit: string;
  readonly sizeOnDisk: number;
}

/** Whether the plan makes the cache fit a size budget. */
export interface CacheBudgetCheck {
  readonly budgetBytes: number;
  /** Whether the cache holds at most `budgetBytes` once the plan is executed. */
  readonly fits: boolean;
  /**
   * When it does not fit: the pinned revisions left in the cache (pins are never evicted). Blobs
   * no snapshot links to (downloads in progress, leftovers) are never evicted either.
   */
  readonly pinned: readonly CachePinnedRevision[];
  /** Why it does not fit, in words; `undefined` when it fits. */
  readonly message: string | undefined;
}

/** Why an entry of a plan was not removed when it was executed. */
export type CacheSkipReason =
  /** It no longer exists. */
  | 'missing'
  /** It changed since the plan was made: a ref now points elsewhere, a folder became a link. */
  | 'changed'
  /** A snapshot entry made after the plan links to the blob. */
  | 'still-linked'
  /** Its real location is not inside the cache folder. */
  | 'outside-cache';

/** An entry of a plan that was left in place. */
export interface CacheSkippedRemoval {
  readonly path: string;
  readonly reason: CacheSkipReason;
}

/** What executing a plan did. */
export interface CachePruneResult {
  /** Bytes of the files actually removed (blobs, files held in snapshots, refs). */
  readonly freedBytes: number;
  readonly removedRevisions: readonly CacheRevisionRemoval[];
  readonly removedFiles: readonly CacheFileRemoval[];
  /** Absolute paths of the blobs removed. */
  readonly removedBlobs: readonly string[];
  /** Entries left in place because the disk changed since the plan was made. */
  readonly skipped: readonly CacheSkippedRemoval[];
  /** The plan's budget check, when it had a budget. */
  readonly budget: CacheBudgetCheck | undefined;
  /** Milliseconds it took, on the manager's clock. */
  readonly durationMs: number;
  /** Why the statistics (evictions, freed bytes) could not be added to the store, when they could not. */
  readonly storeError: StoreError | undefined;
}

/**
 * A dry run: what would be removed and how many bytes it would free. Nothing is removed until
 * {@link CachePrunePlan.execute} is called.
 */
export interface CachePrunePlan {
  /** Real path of the cache folder. */
  readonly directory: string;
  /** Whole revisions to remove, in the order they were chosen (least recently used first for the budget). */
  readonly revisions: readonly CacheRevisionRemoval[];
  /** Files to remove from revisions that are kept. */
  readonly files: readonly CacheFileRemoval[];
  /** Blobs to remove: each once, only when no remaining snapshot entry links to it. */
  readonly blobs: readonly CacheBlobRemoval[];
  /** Ref files to remove (those pointing to removed revisions). */
  readonly refs: readonly CacheReferenceRemoval[];
  /** The cache's `sizeOnDisk` when the plan was made. */
  readonly sizeBeforeBytes: number;
  /** Bytes executing the plan frees: removed blobs, files held in removed snapshots, removed refs. */
  readonly expectedFreedBytes: number;
  /** `sizeBeforeBytes - expectedFreedBytes`. */
  readonly expectedSizeAfterBytes: number;
  /** The budget check, when the plan fits a budget. */
  readonly budget: CacheBudgetCheck | undefined;
  /** What a strategy left alone and why (e.g. a model without any of the kept dtypes). */
  readonly notes: readonly string[];
  /**
   * Removes what the plan lists: snapshot entries first, then refs, then blobs no snapshot links
   * to any more (checked again on disk). Never follows a symlink and never removes anything
   * outside the cache folder; entries that changed since the plan are skipped. Emits the
   * manager's events and adds to its statistics. Calling it again returns the same result.
   *
   * @throws CacheError `'delete-failed'` when entries could not be removed (after removing the others).
   */
  execute(): Promise<CachePruneResult>;
}
