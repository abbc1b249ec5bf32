/** One file of a downloaded snapshot. */
export interface DownloadedFile {
  /** Path inside the repository (and the snapshot folder), `/`-separated, e.g. `'onnx/model_quantized.onnx'`. */
  readonly path: string;
  readonly sizeBytes: number;
  /**
   * The blob id (`blobs/{blob}`): the sha256 of Git LFS files, the Git blob sha1 of the others.
   * `''` for a snapshot entry that is a copy rather than a link (read offline, on Windows without links).
   */
  readonly blob: string;
  /** Whether this call transferred it (`false`: the blob was already in the cache). */
  readonly downloaded: boolean;
}

/** A model snapshot in the Hugging Face cache, as a download left it. */
export interface DownloadResult {
  readonly modelId: string;
  /** The snapshot folder, `<cache>/models--org--name/snapshots/{commit}`: load the model from here. */
  readonly path: string;
  /** The commit sha the revision resolved to. */
  readonly commit: string;
  /** The revision asked for (a branch, a tag or a commit). */
  readonly revision: string;
  /** The files fetched (or found), sorted by path. */
  readonly files: readonly DownloadedFile[];
  /** Bytes received over the network by this call (a resumed part already on disk excluded). */
  readonly bytesDownloaded: number;
  /** Commits whose snapshots were removed afterwards to keep `keepRevisions`. */
  readonly removedRevisions: readonly string[];
  /**
   * Whether the snapshot came from the cache alone, without the Hub: in offline mode, or because
   * the Hub could not be reached and the cache held the revision (as `huggingface_hub` does).
   */
  readonly fromCache: boolean;
}
