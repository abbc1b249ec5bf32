import { ModelscoutError } from './modelscout-error.js';
import { redactSecrets } from './redact-secrets.js';

const marker = 'modelscout.error.DownloadError';
const symbol = Symbol.for(marker);

/**
 * Why a model download failed:
 * - `'not-found'`: the repository, the revision, a listed file or the asked dtype does not exist;
 * - `'unauthorized'`: the Hub refused the access token, or the model is gated or private;
 * - `'network'`: the connection failed, broke off or timed out, or the server answered 5xx, and
 *   the retries are used up (a partial file is kept and resumed next time);
 * - `'checksum-mismatch'`: the content does not have the sha256 (or Git blob sha1) the Hub lists;
 * - `'unsafe-path'`: the listing names a file that would be written outside the cache
 *   (`../`, an absolute path, a backslash, `%2e%2e`), or an invalid blob id;
 * - `'pickle-refused'`: pickle weights (`.bin`, `.pt`, `.pth`, `.pkl`, `.ckpt`) were asked for
 *   without `allowPickle`;
 * - `'disk'`: writing to the cache failed (no space left, read-only, permissions);
 * - `'offline'`: offline mode, and the cache does not hold the revision (or the asked files);
 * - `'aborted'`: the caller's signal aborted;
 * - `'locked'`: another process held the lock of a file for too long;
 * - `'malformed'`: the Hub's answer does not have the expected shape (no commit, a bad range).
 */
export type DownloadErrorReason =
  | 'not-found'
  | 'unauthorized'
  | 'network'
  | 'checksum-mismatch'
  | 'unsafe-path'
  | 'pickle-refused'
  | 'disk'
  | 'offline'
  | 'aborted'
  | 'locked'
  | 'malformed';

const RETRYABLE_REASONS: ReadonlySet<DownloadErrorReason> = new Set([
  'network',
  'checksum-mismatch',
  'locked',
]);

/**
 * Downloading a model to the Hugging Face cache failed. The cache is left consistent: nothing in
 * `snapshots/` points to a missing or unverified blob, and a partial file is kept only as
 * `blobs/{etag}.incomplete`, resumed by the next attempt. The message never contains the access
 * token: token-like strings are removed from it.
 */
export class DownloadError extends ModelscoutError {
  protected readonly [symbol] = true;
  override readonly name = 'DownloadError';
  /** Why it failed. */
  readonly reason: DownloadErrorReason;
  /** The model being downloaded, e.g. `'org/name'`. */
  readonly modelId: string;
  /** The file of the repository it failed on (e.g. `'onnx/model.onnx'`), when one file failed. */
  readonly path: string | undefined;
  /** The revision asked for, when known. */
  readonly revision: string | undefined;
  /** Whether trying again may succeed: network failures, checksum mismatches and busy locks. */
  readonly isRetryable: boolean;

  constructor({
    reason,
    modelId,
    path,
    revision,
    message,
    cause,
    isRetryable = RETRYABLE_REASONS.has(reason),
  }: {
    reason: DownloadErrorReason;
    modelId: string;
    path?: string;
    revision?: string;
    message: string;
    cause?: unknown;
    isRetryable?: boolean;
  }) {
    super({
      message: redactSecrets(
        `Downloading '${modelId}'${path === undefined ? '' : ` (${path})`} failed [${reason}]: ${message}`,
      ),
      cause,
    });
    this.reason = reason;
    this.modelId = modelId;
    this.path = path;
    this.revision = revision;
    this.isRetryable = isRetryable;
  }

  /** Whether `error` is a {@link DownloadError}. */
  static override isInstance(error: unknown): error is DownloadError {
    return ModelscoutError.hasMarker(error, marker);
  }
}
