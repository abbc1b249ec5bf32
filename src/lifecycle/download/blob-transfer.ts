import { stat } from 'node:fs/promises';
import { LONGEST_TIMER_MS } from '../../clock/longest-timer.js';
import {
  abortableSleep,
  HTTP_CLIENT_DEFAULTS,
  type HttpClientOptions,
  retryDelay,
} from '../../discovery/providers/http-json.js';
import { parseRetryAfter } from '../../discovery/providers/hub-fetch.js';
import { ApiCallError } from '../../errors/api-call-error.js';
import { DownloadError } from '../../errors/download-error.js';
import type { RandomSource } from '../../random/random-source.js';
import { createBlobDigest, digestFilePrefix } from './blob-digest.js';
import { parseContentRange } from './content-range.js';
import {
  downloadError,
  type FailureContext,
  isFileSystemError,
  reasonOfApiError,
} from './download-failure.js';
import type { DownloadFileSystem, WritableFile } from './download-file-system.js';
import { linkedSignal } from './linked-signal.js';

/** One blob to bring into `blobs/`, and how. */
export interface BlobTransferOptions {
  /** The `resolve` URL of the file at the commit. */
  readonly url: string;
  /** Request headers (the `Authorization` header, when there is a token). */
  readonly headers: Readonly<Record<string, string>>;
  /** The blob id, which is also the checksum the content must have. */
  readonly blob: string;
  readonly sizeBytes: number;
  /** `blobs/{blob}`: where the verified content goes. */
  readonly blobPath: string;
  /** `blobs/{blob}.incomplete`: where the content grows, and is resumed from. */
  readonly incompletePath: string;
  readonly fileSystem: DownloadFileSystem;
  readonly fetch: typeof fetch;
  /** Attempts, backoff and the idle timeout (`timeoutMs`: the longest wait for the next bytes). */
  readonly http: HttpClientOptions;
  readonly random: RandomSource;
  /** Names the model and file in errors, and the secrets to keep out of them. */
  readonly context: FailureContext;
  /** The caller's signal: its abort is `'aborted'`. */
  readonly signal: AbortSignal | undefined;
  /** Aborts the transfer for another cause (a lost lock, a failed sibling): its reason is thrown. */
  readonly stop: AbortSignal;
  /** Called when an attempt starts writing, with the bytes already on disk it continues from. */
  readonly onAttempt?: (start: { readonly bytesOnDisk: number; readonly rangeRequested: boolean }) => void;
  /** Called after each chunk is written. */
  readonly onBytes?: (count: number) => void;
}

/** What a transfer did. */
export interface BlobTransferResult {
  /** Bytes received over the network, all attempts together. */
  readonly bytesReceived: number;
  /** The bytes on disk the first attempt started from (a resumed `.incomplete`). */
  readonly resumedFromBytes: number;
}

async function sizeOf(file: string): Promise<number | undefined> {
  try {
    const stats = await stat(file);
    return stats.isFile() ? stats.size : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Downloads one blob: into `{blob}.incomplete`, resuming what is there with a `Range` request
 * (the `206` must carry the matching `Content-Range`; a `200` starts over, a `416` discards the
 * part), hashing as it writes, then verifying the whole content against the blob id and renaming
 * it into place. Retryable failures (network errors, a connection that breaks off, 408/409/429/5xx,
 * a bad range, a checksum mismatch) are retried up to `maxAttempts` with backoff and jitter; an
 * attempt that left a longer part on disk does not count, so a connection that keeps breaking
 * still finishes.
 * A checksum mismatch deletes the part (it cannot be trusted); other failures keep it.
 *
 * @throws DownloadError
 */
export async function transferBlob(options: BlobTransferOptions): Promise<BlobTransferResult> {
  const { http, random, signal, stop } = options;
  const sleep = http.sleep ?? abortableSleep;
  const state = { bytesReceived: 0, resumedFromBytes: undefined as number | undefined };
  // The most bytes the part ever held: an attempt that takes it further does not count against
  // `maxAttempts`. Measured against the furthest point, not the attempt's start, so a server
  // whose sizes disagree with the listing (the part deleted and fetched again) cannot retry forever.
  let furthest = (await sizeOf(options.incompletePath)) ?? 0;
  for (let attemptNumber = 1; ; attemptNumber++) {
    throwIfStopped(options);
    try {
      await attempt(options, state);
      return { bytesReceived: state.bytesReceived, resumedFromBytes: state.resumedFromBytes ?? 0 };
    } catch (error) {
      const failure = classify(error, options);
      const kept = (await sizeOf(options.incompletePath)) ?? 0;
      if (kept > furthest) {
        furthest = kept;
        attemptNumber = 0;
      }
      if (!failure.isRetryable) throw failure;
      const cause = ApiCallError.isInstance(failure.cause)
        ? failure.cause
        : new ApiCallError({ url: options.url, message: failure.message, isRetryable: true });
      const delay = retryDelay(cause, Math.max(1, attemptNumber), http, random);
      if (delay === undefined) throw failure;
      const wait = linkedSignal(signal, stop);
      try {
        await sleep(delay, wait.signal);
      } catch (sleepError) {
        throw classify(sleepError, options);
      } finally {
        wait.release();
      }
    }
  }
}

function throwIfStopped(options: BlobTransferOptions): void {
  if (options.signal?.aborted) {
    throw downloadError(options.context, 'aborted', 'the download was aborted', {
      cause: options.signal.reason,
    });
  }
  if (options.stop.aborted) throw stoppedError(options);
}

function stoppedError(options: BlobTransferOptions): DownloadError {
  const reason: unknown = options.stop.reason;
  if (DownloadError.isInstance(reason)) return reason;
  return downloadError(options.context, 'aborted', 'the transfer was stopped', { cause: reason });
}

/** Any failure of an attempt as a {@link DownloadError}. */
function classify(error: unknown, options: BlobTransferOptions): DownloadError {
  if (options.signal?.aborted) {
    return downloadError(options.context, 'aborted', 'the download was aborted', {
      cause: options.signal.reason,
    });
  }
  if (options.stop.aborted) return stoppedError(options);
  if (DownloadError.isInstance(error)) return error;
  if (ApiCallError.isInstance(error)) {
    return downloadError(options.context, reasonOfApiError(error), error.message, {
      cause: error,
      isRetryable: error.isRetryable,
    });
  }
  const message = error instanceof Error ? error.message : String(error);
  if (isFileSystemError(error)) return downloadError(options.context, 'disk', message, { cause: error });
  return downloadError(options.context, 'network', `the transfer failed: ${message}`, {
    cause: new ApiCallError({ url: options.url, message, cause: error, isRetryable: true }),
    isRetryable: true,
  });
}

/** Runs a file-system write; its failure is `'disk'`. */
async function onDisk<T>(options: BlobTransferOptions, write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw downloadError(options.context, 'disk', `writing to the cache failed: ${message}`, { cause: error });
  }
}

async function attempt(
  options: BlobTransferOptions,
  state: { bytesReceived: number; resumedFromBytes: number | undefined },
): Promise<void> {
  const { blob, sizeBytes, incompletePath, blobPath, fileSystem, context } = options;
  let offset = (await sizeOf(incompletePath)) ?? 0;
  if (offset > sizeBytes) {
    await onDisk(options, () => fileSystem.remove(incompletePath));
    offset = 0;
  }
  let digest = createBlobDigest(blob, sizeBytes);
  if (offset > 0) {
    await digestFilePrefix(incompletePath, offset, digest).catch(async () => {
      // An unreadable part is started over.
      await onDisk(options, () => fileSystem.remove(incompletePath));
      offset = 0;
      digest = createBlobDigest(blob, sizeBytes);
    });
  }
  if (offset < sizeBytes) {
    const started = await request(options, offset);
    if (started.restart) {
      offset = 0;
      digest = createBlobDigest(blob, sizeBytes);
    }
    state.resumedFromBytes ??= offset;
    options.onAttempt?.({ bytesOnDisk: offset, rangeRequested: started.rangeRequested });
    const file = await onDisk(options, () =>
      fileSystem.openForWriting(incompletePath, offset > 0 ? 'append' : 'truncate'),
    );
    try {
      offset = await receive(options, started, file, offset, digest, state);
    } finally {
      await file.close().catch(() => undefined);
    }
    if (offset < sizeBytes) {
      throw downloadError(context, 'network', `the connection closed after ${offset} of ${sizeBytes} bytes`, {
        cause: new ApiCallError({ url: options.url, message: 'incomplete body', isRetryable: true }),
        isRetryable: true,
      });
    }
  } else {
    state.resumedFromBytes ??= offset;
    options.onAttempt?.({ bytesOnDisk: offset, rangeRequested: false });
    if (sizeBytes === 0) {
      const file = await onDisk(options, () => fileSystem.openForWriting(incompletePath, 'truncate'));
      await onDisk(options, () => file.close());
    }
  }
  if (!digest.matches()) {
    await onDisk(options, () => fileSystem.remove(incompletePath));
    throw downloadError(
      context,
      'checksum-mismatch',
      `the content does not match its ${blob.length === 64 ? 'sha256' : 'Git blob sha1'} ${blob}`,
    );
  }
  await onDisk(options, () => fileSystem.rename(incompletePath, blobPath));
}

interface StartedResponse {
  readonly response: Response;
  readonly body: ReadableStream<Uint8Array>;
  /** Whether the part on disk must be dropped (the server sent the whole file). */
  readonly restart: boolean;
  readonly rangeRequested: boolean;
  /** Aborts the request, and tells whether it was the idle timeout. */
  readonly idle: IdleTimer;
}

interface IdleTimer {
  readonly signal: AbortSignal;
  touch(): void;
  timedOut(): boolean;
  release(): void;
}

function idleTimer(timeoutMs: number, ...parents: (AbortSignal | undefined)[]): IdleTimer {
  const link = linkedSignal(...parents);
  let timedOut = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const arm = () => {
    if (timer !== undefined) clearTimeout(timer);
    // Longer than a Node timer holds (Infinity included): no timeout, as such a timer fires at once.
    if (timeoutMs > LONGEST_TIMER_MS) return;
    timer = setTimeout(() => {
      timedOut = true;
      link.abort(new Error(`no data for ${timeoutMs} ms`));
    }, timeoutMs);
  };
  arm();
  return {
    signal: link.signal,
    touch: arm,
    timedOut: () => timedOut,
    release: () => {
      if (timer !== undefined) clearTimeout(timer);
      link.release();
    },
  };
}

async function request(options: BlobTransferOptions, offset: number): Promise<StartedResponse> {
  const { url, headers, sizeBytes, context, fileSystem, incompletePath } = options;
  const idle = idleTimer(
    options.http.timeoutMs ?? HTTP_CLIENT_DEFAULTS.timeoutMs,
    options.signal,
    options.stop,
  );
  const rangeRequested = offset > 0;
  let response: Response;
  try {
    response = await untilAborted(
      options.fetch(url, {
        headers: {
          ...headers,
          'Accept-Encoding': 'identity',
          ...(rangeRequested ? { Range: `bytes=${offset}-` } : {}),
        },
        redirect: 'follow',
        signal: idle.signal,
      }),
      idle.signal,
    );
  } catch (error) {
    idle.release();
    if (idle.timedOut()) {
      throw downloadError(
        context,
        'network',
        `no answer within ${options.http.timeoutMs ?? HTTP_CLIENT_DEFAULTS.timeoutMs} ms`,
        {
          cause: new ApiCallError({ url, message: 'timed out', isRetryable: true }),
          isRetryable: true,
        },
      );
    }
    throw error;
  }
  const discard = async () => {
    idle.release();
    await response.body?.cancel().catch(() => undefined);
  };
  if (response.status === 416 && rangeRequested) {
    // The part on disk is not a prefix the server agrees with: start over.
    await discard();
    await onDisk(options, () => fileSystem.remove(incompletePath));
    throw downloadError(context, 'network', 'the server refused to resume the partial file', {
      cause: new ApiCallError({ url, statusCode: 416, message: 'range not satisfiable', isRetryable: true }),
      isRetryable: true,
    });
  }
  if (!response.ok) {
    await discard();
    const errorCode = response.headers.get('X-Error-Code');
    const retryAfterMs = parseRetryAfter(response.headers.get('Retry-After'), response.headers.get('Date'));
    const error = new ApiCallError({
      url,
      statusCode: response.status,
      message: `GET answered ${response.status}${errorCode ? ` ${errorCode}` : ''}`,
      ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
    });
    throw downloadError(context, reasonOfApiError(error), error.message, {
      cause: error,
      isRetryable: error.isRetryable,
    });
  }
  if (response.body === null) {
    idle.release();
    throw downloadError(context, 'malformed', `the server sent no content (${response.status})`, {
      isRetryable: true,
    });
  }
  if (response.status === 206) {
    const range = parseContentRange(response.headers.get('Content-Range'));
    if (
      !range ||
      range.start !== offset ||
      range.end !== sizeBytes - 1 ||
      (range.size !== undefined && range.size !== sizeBytes)
    ) {
      await discard();
      await onDisk(options, () => fileSystem.remove(incompletePath));
      throw downloadError(
        context,
        'malformed',
        `the server sent range ${response.headers.get('Content-Range') ?? '(none)'} for bytes ${offset}-${sizeBytes - 1}`,
        { isRetryable: true },
      );
    }
    return { response, body: response.body, restart: false, rangeRequested, idle };
  }
  if (response.status !== 200) {
    await discard();
    throw downloadError(context, 'malformed', `unexpected status ${response.status}`, { isRetryable: true });
  }
  return { response, body: response.body, restart: rangeRequested, rangeRequested, idle };
}

async function receive(
  options: BlobTransferOptions,
  started: StartedResponse,
  file: WritableFile,
  offset: number,
  digest: ReturnType<typeof createBlobDigest>,
  state: { bytesReceived: number },
): Promise<number> {
  const { sizeBytes, context, url } = options;
  const { idle } = started;
  let position = offset;
  // Reading through a reader this code cancels itself on abort: undici's own link from the
  // request signal to the body can be lost to garbage collection (nodejs/node#55428).
  const reader = started.body.getReader();
  const onAbort = () => {
    void reader.cancel(idle.signal.reason).catch(() => undefined);
  };
  idle.signal.addEventListener('abort', onAbort, { once: true });
  try {
    if (idle.signal.aborted) throw idle.signal.reason;
    for (;;) {
      const { done, value: chunk } = await reader.read();
      if (idle.signal.aborted) throw idle.signal.reason;
      if (done) break;
      idle.touch();
      if (position + chunk.length > sizeBytes) {
        throw downloadError(context, 'malformed', `the server sent more than the ${sizeBytes} bytes listed`, {
          isRetryable: true,
        });
      }
      await onDisk(options, () => file.write(chunk));
      digest.update(chunk);
      position += chunk.length;
      state.bytesReceived += chunk.length;
      options.onBytes?.(chunk.length);
    }
  } catch (error) {
    await reader.cancel().catch(() => undefined);
    // A wrong part on disk fails the checksum of a later attempt, which then starts over.
    if (DownloadError.isInstance(error)) throw error;
    if (idle.timedOut()) {
      throw downloadError(
        context,
        'network',
        `no data for ${options.http.timeoutMs ?? HTTP_CLIENT_DEFAULTS.timeoutMs} ms`,
        {
          cause: new ApiCallError({ url, message: 'stalled', isRetryable: true }),
          isRetryable: true,
        },
      );
    }
    throw error;
  } finally {
    idle.signal.removeEventListener('abort', onAbort);
    idle.release();
  }
  return position;
}

/**
 * `promise`, or a rejection with the signal's reason as soon as `signal` aborts, even when the
 * fetch behind the promise missed the abort (its link to the signal can be lost to garbage
 * collection, nodejs/node#55428). A response that arrives after the abort is discarded.
 */
function untilAborted(promise: Promise<Response>, signal: AbortSignal): Promise<Response> {
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      reject(signal.reason);
      promise.then((late) => late.body?.cancel().catch(() => undefined)).catch(() => undefined);
    };
    if (signal.aborted) {
      onAbort();
      return;
    }
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (response) => {
        signal.removeEventListener('abort', onAbort);
        resolve(response);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}
