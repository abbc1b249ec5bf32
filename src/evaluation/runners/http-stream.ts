import { systemClock } from '../../clock/clock.js';
import { attemptSignal } from '../../discovery/providers/attempt-signal.js';
import {
  abortableSleep,
  HTTP_CLIENT_DEFAULTS,
  type HttpClientOptions,
  parseRetryAfter,
  redact,
  redactUrl,
  retryDelay,
  serverMessage,
} from '../../discovery/providers/http-json.js';
import { ApiCallError } from '../../errors/api-call-error.js';
import { seededRandom } from '../../random/seeded-random.js';
import type { JsonValue } from '../../store/spec.js';

/** One streamed POST. */
export interface StreamRequest {
  readonly url: string;
  readonly body: JsonValue;
  readonly headers?: Readonly<Record<string, string>>;
  /** Aborts the call (and any wait between attempts) with the signal's reason. */
  readonly signal?: AbortSignal;
  /** Strings (API keys) that must never appear in an error; replaced by `[redacted]`. */
  readonly secrets?: readonly string[];
  /**
   * Called with each line of the body (without its line break), in order; may throw (e.g. an
   * {@link ApiCallError} for a malformed chunk), which stops reading and rejects the call.
   */
  readonly onLine: (line: string) => void;
}

/** An error `onLine` threw: passed through untouched. */
class LineHandlerFailure {
  constructor(readonly error: unknown) {}
}

/** Whether a failure happened before any of the body was handed to `onLine` (so a retry is safe). */
class AttemptFailure {
  constructor(
    readonly error: unknown,
    readonly beforeBody: boolean,
  ) {}
}

async function attempt(request: StreamRequest, options: HttpClientOptions, safeUrl: string): Promise<void> {
  const { signal, secrets = [] } = request;
  const timeoutMs = options.timeoutMs ?? HTTP_CLIENT_DEFAULTS.timeoutMs;
  const attemptAbort = attemptSignal(timeoutMs, signal);
  const fetchFunction = options.fetch ?? globalThis.fetch;
  let status: number | undefined;
  let bodyStarted = false;
  let finished = false;
  let reader: ReadableStreamDefaultReader<Uint8Array> | undefined;
  const deliver = (line: string) => {
    bodyStarted = true;
    try {
      request.onLine(line);
    } catch (error) {
      throw new LineHandlerFailure(error);
    }
  };
  try {
    const response = await fetchFunction(request.url, {
      method: 'POST',
      headers: {
        accept: 'application/json, application/x-ndjson, text/event-stream',
        ...request.headers,
        'content-type': 'application/json',
      },
      body: JSON.stringify(request.body),
      signal: attemptAbort.signal,
    });
    status = response.status;
    if (!response.ok) {
      const detail = serverMessage(await response.text());
      throw new ApiCallError({
        url: safeUrl,
        statusCode: response.status,
        message: redact(
          `POST failed: ${response.status} ${response.statusText}${detail === undefined ? '' : ` — ${detail}`}`,
          secrets,
        ),
        retryAfterMs: parseRetryAfter(response.headers, (options.clock ?? systemClock).now()),
      });
    }
    if (response.body === null) {
      throw new ApiCallError({
        url: safeUrl,
        statusCode: status,
        message: 'The response has no body',
        isRetryable: false,
      });
    }
    reader = response.body.getReader();
    const decoder = new TextDecoder();
    let pending = '';
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      pending += decoder.decode(value, { stream: true });
      let newline = pending.indexOf('\n');
      while (newline !== -1) {
        const line = pending.slice(0, newline).replace(/\r$/, '');
        pending = pending.slice(newline + 1);
        deliver(line);
        newline = pending.indexOf('\n');
      }
    }
    pending += decoder.decode();
    if (pending.length > 0) deliver(pending.replace(/\r$/, ''));
    finished = true;
  } catch (error) {
    if (error instanceof LineHandlerFailure) throw new AttemptFailure(error.error, false);
    if (signal?.aborted) throw new AttemptFailure(signal.reason, false);
    if (ApiCallError.isInstance(error)) throw new AttemptFailure(error, !bodyStarted);
    if (attemptAbort.timedOut()) {
      throw new AttemptFailure(
        new ApiCallError({
          url: safeUrl,
          statusCode: status,
          message: `Timed out after ${timeoutMs} ms${status === undefined ? '' : ' while streaming the response'}`,
          isRetryable: true,
        }),
        !bodyStarted,
      );
    }
    const reason = error instanceof Error ? error.message : String(error);
    const cause = error instanceof Error && error.cause instanceof Error ? `: ${error.cause.message}` : '';
    throw new AttemptFailure(
      new ApiCallError({
        url: safeUrl,
        statusCode: status,
        message: redact(
          status === undefined
            ? `Request failed: ${reason}${cause}`
            : `The stream broke off: ${reason}${cause}`,
          secrets,
        ),
        cause: error,
        isRetryable: true,
      }),
      status === undefined,
    );
  } finally {
    attemptAbort.release();
    if (!finished) {
      // Stop the download and free the connection (a no-op when the body already ended).
      await reader?.cancel().catch(() => undefined);
      attemptAbort.abort();
    }
  }
}

/**
 * POSTs JSON and hands the streamed body to `request.onLine` line by line (NDJSON and
 * server-sent events are both line-based). Uses the same options as the discovery providers'
 * JSON client: `timeoutMs` bounds each attempt, body included; failures before the body starts
 * (network errors, timeouts, 408, 409, 429, 5xx) are retried up to `maxAttempts` times with
 * backoff and jitter, honoring `Retry-After`. Once lines were handed on, nothing is retried: a
 * connection that drops or a timeout becomes a retryable {@link ApiCallError} for the caller to
 * decide. Errors never contain the URL's credentials or `secrets`. Aborting `signal` rejects
 * with its reason. The connection and the timer are released whatever happens.
 */
export async function postStream(request: StreamRequest, options: HttpClientOptions = {}): Promise<void> {
  const { sleep = abortableSleep } = options;
  const random = options.random ?? seededRandom();
  const safeUrl = redact(redactUrl(request.url), request.secrets ?? []);
  for (let attemptNumber = 1; ; attemptNumber++) {
    request.signal?.throwIfAborted();
    try {
      await attempt(request, options, safeUrl);
      return;
    } catch (failure) {
      if (!(failure instanceof AttemptFailure)) throw failure;
      const { error, beforeBody } = failure;
      // Once lines were handed on, nothing is retried.
      const delay = beforeBody ? retryDelay(error, attemptNumber, options, random) : undefined;
      if (delay === undefined) throw error;
      await sleep(delay, request.signal);
    }
  }
}

/** An {@link ApiCallError} for a streamed chunk that is not what the API documents. */
export function malformedChunk(url: string, what: string, cause?: unknown): ApiCallError {
  return new ApiCallError({
    url: redactUrl(url),
    statusCode: 200,
    message: `Malformed stream chunk: ${what}`,
    cause,
    isRetryable: false,
  });
}

/** Parses one JSON chunk, or throws {@link malformedChunk} (quoting the text without `secrets`). */
export function parseChunk(url: string, text: string, secrets: readonly string[] = []): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (cause) {
    throw malformedChunk(url, `not JSON: ${redact(text, secrets).slice(0, 80)}`, cause);
  }
}
