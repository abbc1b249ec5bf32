import { redact } from '../../discovery/providers/http-json.js';
import { hubErrorCode } from '../../discovery/providers/hub-fetch.js';
import { ApiCallError } from '../../errors/api-call-error.js';
import { DownloadError, type DownloadErrorReason } from '../../errors/download-error.js';

/** What a failure is about: the model, the revision, the file, and the secrets to keep out of messages. */
export interface FailureContext {
  readonly modelId: string;
  readonly revision?: string;
  readonly path?: string;
  readonly secrets: readonly string[];
}

/** File-system error codes: the failure is the disk's, not the network's. */
const DISK_CODES = new Set([
  'ENOSPC',
  'EDQUOT',
  'EROFS',
  'EACCES',
  'EPERM',
  'EIO',
  'EMFILE',
  'ENFILE',
  'EEXIST',
  'ENOTDIR',
  'EISDIR',
  'ENAMETOOLONG',
  'EBUSY',
]);

/** Whether `error` came from the file system (it has a file-system error code). */
export function isFileSystemError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && DISK_CODES.has(code);
}

/** A {@link DownloadError} about `context`, its message free of the secrets. */
export function downloadError(
  context: FailureContext,
  reason: DownloadErrorReason,
  message: string,
  options: { cause?: unknown; path?: string; isRetryable?: boolean } = {},
): DownloadError {
  const path = options.path ?? context.path;
  return new DownloadError({
    reason,
    modelId: context.modelId,
    ...(context.revision === undefined ? {} : { revision: context.revision }),
    ...(path === undefined ? {} : { path }),
    message: redact(message, context.secrets),
    ...(options.cause === undefined ? {} : { cause: options.cause }),
    ...(options.isRetryable === undefined ? {} : { isRetryable: options.isRetryable }),
  });
}

/** The reason of a failed Hub call: 404 is `'not-found'`, 401/403 `'unauthorized'`, the rest `'network'`. */
export function reasonOfApiError(error: ApiCallError): DownloadErrorReason {
  const code = hubErrorCode(error);
  if (code === 'RepoNotFound' || code === 'RevisionNotFound' || code === 'EntryNotFound') return 'not-found';
  if (error.statusCode === 404) return 'not-found';
  if (error.statusCode === 401 || error.statusCode === 403 || code === 'GatedRepo') return 'unauthorized';
  return 'network';
}

/**
 * `error` as a {@link DownloadError}: kept when it is one; `'aborted'` when `signal` aborted;
 * Hub call failures by status; file-system failures as `'disk'`; anything else as `'network'`.
 */
export function toDownloadError(
  error: unknown,
  context: FailureContext,
  signal: AbortSignal | undefined,
): DownloadError {
  if (DownloadError.isInstance(error)) return error;
  if (signal?.aborted) return downloadError(context, 'aborted', 'the download was aborted', { cause: error });
  if (ApiCallError.isInstance(error)) {
    return downloadError(context, reasonOfApiError(error), error.message, {
      cause: error,
      isRetryable: error.isRetryable,
    });
  }
  const message = error instanceof Error ? error.message : String(error);
  if (isFileSystemError(error)) return downloadError(context, 'disk', message, { cause: error });
  return downloadError(context, 'network', message, { cause: error });
}
