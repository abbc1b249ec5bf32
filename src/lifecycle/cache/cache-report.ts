/**
 * The shape of a scanned Hugging Face cache folder, after `huggingface_hub`'s `HFCacheInfo`:
 * repositories → revisions → files. Times are milliseconds since the Unix epoch; sizes are bytes
 * (the files' lengths).
 * @module
 */

/** One file of a revision: a snapshot entry and the blob it links to. */
export interface CachedFileInfo {
  /** Path inside the repository, `/`-separated, sub-folders included: `'onnx/model_q4.onnx'`. */
  readonly path: string;
  /** Absolute path of the snapshot entry (`…/snapshots/{commit}/onnx/model_q4.onnx`), usually a symlink. */
  readonly filePath: string;
  /**
   * Real path of the content: the blob the entry links to (`…/blobs/{etag}`), or the entry itself
   * when the snapshot holds the file directly (caches made without symlinks).
   */
  readonly blobPath: string;
  /** Length of the content in bytes. */
  readonly sizeOnDisk: number;
  /** Access time of the content (the blob's `atime`). */
  readonly blobLastAccessed: number;
  /** Modification time of the content (the blob's `mtime`). */
  readonly blobLastModified: number;
}

/** One revision of a cached repository: a `snapshots/{commit}` folder. */
export interface CachedRevisionInfo {
  /** The commit sha, 40 hex digits. */
  readonly commit: string;
  /** The refs pointing to it (`'main'`, tags, `'refs/pr/1'`), sorted. */
  readonly refs: readonly string[];
  /** Absolute path of the snapshot folder. */
  readonly snapshotPath: string;
  /** Its files, sorted by path. Broken entries are left out and reported as warnings. */
  readonly files: readonly CachedFileInfo[];
  /** Bytes of the distinct contents its files link to (a blob shared with another revision counts in both). */
  readonly sizeOnDisk: number;
  /** When it was last used, as recorded with `recordUse`; `undefined` when never recorded. */
  readonly lastUse: number | undefined;
  /**
   * The latest of `lastUse`, its blobs' access and modification times and `lastModified`: the
   * order LRU eviction follows.
   */
  readonly lastAccess: number;
  /** When its snapshot folder was last modified (it was downloaded), as `huggingface_hub` reports it. */
  readonly lastModified: number;
}

/** One ref file, `refs/{name}`, holding a commit sha. */
export interface CachedReferenceInfo {
  /** The ref name, `/`-separated: `'main'`, `'v1.0'`, `'refs/pr/1'`. */
  readonly name: string;
  readonly commit: string;
  /** Absolute path of the ref file. */
  readonly path: string;
  readonly sizeOnDisk: number;
}

/** A file of a repository's `blobs/` folder. */
export interface CachedBlobInfo {
  /** Absolute path. */
  readonly path: string;
  readonly sizeOnDisk: number;
  readonly lastAccessed: number;
  readonly lastModified: number;
  /** Whether it is a download in progress or left over (`*.incomplete`). */
  readonly incomplete: boolean;
}

/** One model folder of the cache, `models--{org}--{name}`. */
export interface CachedRepositoryInfo {
  /** The model id, `'org/name'` or `'name'`. */
  readonly id: string;
  /** Absolute path of the `models--…` folder. */
  readonly path: string;
  /** Its revisions, most recently modified first. */
  readonly revisions: readonly CachedRevisionInfo[];
  /** Its valid refs, sorted by name. */
  readonly refs: readonly CachedReferenceInfo[];
  /**
   * Blobs no snapshot links to: leftovers and downloads in progress (`incomplete`). They count in
   * `sizeOnDisk`, but pruning never removes them: a downloader may be about to link them.
   */
  readonly unreferencedBlobs: readonly CachedBlobInfo[];
  /**
   * Bytes it holds: every blob once (linked by any number of revisions, or by none), files held
   * directly in snapshots, and ref files (valid or not).
   */
  readonly sizeOnDisk: number;
  /** The latest `lastAccess` of its revisions (or of its blobs, without revisions). */
  readonly lastAccess: number;
  /** The latest `lastModified` of its revisions and blobs. */
  readonly lastModified: number;
}

/**
 * What is wrong with an entry the scan skipped:
 * - `'not-a-model'`: an entry of the cache folder that is not a model repository (a dataset or
 *   space repository, a stray file, a `models--` folder without `snapshots/` or with an invalid name);
 * - `'dangling-link'`: a snapshot entry whose target does not exist;
 * - `'outside-link'`: a symlink (a snapshot entry, a snapshot or repository folder) that resolves
 *   outside the cache folder: never followed, counted or removed;
 * - `'invalid-ref'`: a ref file that does not hold the commit of a snapshot;
 * - `'invalid-snapshot'`: an entry of `snapshots/` that is not a folder named by a commit sha, or
 *   a snapshot entry that is neither a file nor a link to one;
 * - `'unreadable'`: an entry that could not be read (permissions).
 */
export type CacheWarningKind =
  | 'not-a-model'
  | 'dangling-link'
  | 'outside-link'
  | 'invalid-ref'
  | 'invalid-snapshot'
  | 'unreadable';

/** An entry the scan skipped, and why. */
export interface CacheWarning {
  readonly kind: CacheWarningKind;
  /** Absolute path of the entry. */
  readonly path: string;
  /** The repository it belongs to, when known. */
  readonly modelId?: string;
  /** The revision it belongs to, when known. */
  readonly commit?: string;
  /** Path inside the repository, for snapshot entries. */
  readonly file?: string;
  readonly message: string;
}

/** The result of `CacheManager.scan()`. */
export interface CacheReport {
  /** Real path of the cache folder (the configured path when it does not exist). */
  readonly directory: string;
  /** Whether the cache folder exists (a missing one is an empty cache). */
  readonly exists: boolean;
  /** The model repositories, sorted by id. */
  readonly repositories: readonly CachedRepositoryInfo[];
  /** Total of the repositories' `sizeOnDisk`: what a size budget is compared with. */
  readonly sizeOnDisk: number;
  /** Number of revisions across repositories. */
  readonly revisionCount: number;
  /** Entries that were skipped, instead of failing the scan. */
  readonly warnings: readonly CacheWarning[];
  /** When the scan was made, on the manager's clock. */
  readonly scannedAt: number;
}
