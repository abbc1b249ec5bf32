import { ModelscoutError } from './modelscout-error.js';

const marker = 'modelscout.error.CacheError';
const symbol = Symbol.for(marker);

/**
 * Why a cache operation failed:
 * - `'unreadable'`: the cache folder exists but could not be read (not a folder, no permission);
 * - `'delete-failed'`: executing a prune plan could not remove some entries (the others were
 *   removed; `paths` lists the ones that were not).
 */
export type CacheErrorReason = 'unreadable' | 'delete-failed';

/** Managing the Hugging Face cache folder failed. */
export class CacheError extends ModelscoutError {
  protected readonly [symbol] = true;
  override readonly name = 'CacheError';
  /** Why it failed. */
  readonly reason: CacheErrorReason;
  /** The cache folder. */
  readonly directory: string;
  /** The entries concerned: the folder itself, or the entries that could not be removed. */
  readonly paths: readonly string[];

  constructor({
    reason,
    directory,
    paths = [directory],
    message,
    cause,
  }: {
    reason: CacheErrorReason;
    directory: string;
    paths?: readonly string[];
    message: string;
    cause?: unknown;
  }) {
    super({ message: `Cache '${directory}': ${message}`, cause });
    this.reason = reason;
    this.directory = directory;
    this.paths = Object.freeze([...paths]);
  }

  /** Whether `error` is a {@link CacheError}. */
  static override isInstance(error: unknown): error is CacheError {
    return ModelscoutError.hasMarker(error, marker);
  }
}
