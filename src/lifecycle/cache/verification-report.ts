import type { BlobHashAlgorithm } from './blob-hash.js';
import type { CacheWarning } from './cache-report.js';

/**
 * The verdict on one snapshot entry:
 * - `'ok'`: its blob's content hashes to the blob's name;
 * - `'corrupted'`: it does not;
 * - `'unverifiable'`: the content is not named by a hash (a file held directly in the snapshot);
 * - `'dangling-link'`: it links to nothing;
 * - `'outside-link'`: it links out of the cache folder (not read);
 * - `'unreadable'`: the content could not be read.
 */
export type CacheFileStatus =
  | 'ok'
  | 'corrupted'
  | 'unverifiable'
  | 'dangling-link'
  | 'outside-link'
  | 'unreadable';

/** One snapshot entry, checked. */
export interface VerifiedCacheFile {
  readonly modelId: string;
  readonly commit: string;
  /** Path inside the repository, e.g. `'onnx/model.onnx'`. */
  readonly path: string;
  /** Absolute path of the snapshot entry. */
  readonly filePath: string;
  /** Real path of the content, when it resolves inside the cache folder. */
  readonly blobPath: string | undefined;
  readonly status: CacheFileStatus;
  /** How the blob's name was checked, when it is a content hash. */
  readonly algorithm: BlobHashAlgorithm | undefined;
  /** The hash the name promises. */
  readonly expectedHash: string | undefined;
  /** The hash of the content, when it was read. */
  readonly actualHash: string | undefined;
}

/**
 * What `verify()` found wrong:
 * - `'corrupted'`: a blob whose content does not match its name (for every entry linking to it,
 *   and once for a corrupted blob no entry links to);
 * - `'dangling-link'`, `'outside-link'`: a broken snapshot entry;
 * - `'incomplete-download'`: a `blobs/*.incomplete` file, an interrupted download's leftover (or
 *   a download still in progress);
 * - `'unreadable'`: content that could not be read.
 */
export type CacheProblemKind =
  | 'corrupted'
  | 'dangling-link'
  | 'outside-link'
  | 'incomplete-download'
  | 'unreadable';

/** One problem `verify()` found. */
export interface CacheProblem {
  readonly kind: CacheProblemKind;
  /** Absolute path of the entry (the snapshot entry, or the blob). */
  readonly path: string;
  readonly modelId: string;
  /** The revision, for snapshot entries. */
  readonly commit?: string;
  /** Path inside the repository, for snapshot entries. */
  readonly file?: string;
  readonly message: string;
}

/** The result of `CacheManager.verify()`. */
export interface CacheVerificationReport {
  /** Real path of the cache folder. */
  readonly directory: string;
  /** Every snapshot entry of the verified repositories, broken ones included. */
  readonly files: readonly VerifiedCacheFile[];
  /** What is wrong; empty when everything checked out. */
  readonly problems: readonly CacheProblem[];
  /** Whether `problems` is empty. */
  readonly ok: boolean;
  /** Distinct blobs whose content was hashed. */
  readonly checkedBlobs: number;
  /** Bytes read to hash them. */
  readonly checkedBytes: number;
  /** What the scan skipped (folders that are not models, invalid refs…), as `scan()` reports it. */
  readonly warnings: readonly CacheWarning[];
}
