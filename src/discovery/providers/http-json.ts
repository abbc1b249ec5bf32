import { type Clock, systemClock } from '../../clock/clock.js';
import { ApiCallError } from '../../errors/api-call-error.js';
import type { RandomSource } from '../../random/random-source.js';
import { seededRandom } from '../../random/seeded-random.js';
import type { JsonValue } from '../../store/spec.js';
import { attemptSignal } from './attempt-signal.js';

/** How network providers call their HTTP JSON APIs: timeouts, retries, and test hooks. */
export interface HttpClientOptions {
  /** The `fetch` to use; pass one to intercept calls in tests. @default globalThis.fetch */
  readonly fetch?: typeof globalThis.fetch;
  /** Milliseconds one attempt may take, body included, before it fails as retryable. @default 30_000 */
  readonly timeoutMs?: number;
  /** Attempts per call, the first included; retries happen only for retryable failures. @default 3 */
  readonly maxAttempts?: number;
  /** Backoff before the first retry, doubled for each further retry (then jittered). @default 500 */
  readonly initialDelayMs?: number;
  /** The longest backoff between attempts, also the longest `Retry-After` honored. @default 30_000 */
  readonly maxDelayMs?: number;
  /** Waits between attempts; inject one in tests so they do not wait. @default a `setTimeout` that honors the signal */
  readonly sleep?: (milliseconds: number, signal?: AbortSignal) => Promise<void>;
  /** Source of the backoff jitter. @default seededRandom() */
  readonly random?: RandomSource;
  /** Reads the time for `Retry-After` given as an HTTP date. @default systemClock */
  readonly clock?: Clock;
}

/** One JSON call. */
export interface HttpJsonRequest {
  readonly url: string;
  /** @default 'GET' */
  readonly method?: 'GET' | 'POST';
  readonly headers?: Readonly<Record<string, string>>;
  /** Sent as JSON. */
  readonly body?: JsonValue;
  /** Aborts the call (and any wait between attempts) with the signal's reason. */
  readonly signal?: AbortSignal;
  /** Strings (API keys) that must never appear in an error; replaced by `[redacted]`. */
  readonly secrets?: readonly string[];
}

/** Defaults of {@link HttpClientOptions}. */
export const HTTP_CLIENT_DEFAULTS = Object.freeze({
  timeoutMs: 30_000,
  maxAttempts: 3,
  initialDelayMs: 500,
  maxDelayMs: 30_000,
} as const);

/** Waits `milliseconds`, rejecting with the signal's reason when it aborts. */
export function abortableSleep(milliseconds: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, milliseconds);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

const CREDENTIAL_PARAMETER = /key|token|secret|password|auth|signature/i;

/** `url` without user info and with credential-like query values replaced, safe to show in errors. */
export function redactUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return '[invalid url]';
  }
  parsed.username = '';
  parsed.password = '';
  for (const name of [...parsed.searchParams.keys()]) {
    if (CREDENTIAL_PARAMETER.test(name)) parsed.searchParams.set(name, 'redacted');
  }
  return parsed.toString();
}

/** `text` with every occurrence of each secret replaced by `[redacted]`. */
export function redact(text: string, secrets: readonly string[]): string {
  let result = text;
  for (const secret of secrets) if (secret.length > 0) result = result.split(secret).join('[redacted]');
  return result;
}

/**
 * Milliseconds a `Retry-After` (seconds or an HTTP date) or `retry-after-ms` header asks to wait;
 * `undefined` when absent or unreadable.
 */
export function parseRetryAfter(headers: Headers, now: number): number | undefined {
  const milliseconds = headers.get('retry-after-ms');
  if (milliseconds !== null && /^\s*\d+(\.\d+)?\s*$/.test(milliseconds)) return Number(milliseconds);
  const value = headers.get('retry-after');
  if (value === null) return undefined;
  if (/^\s*\d+(\.\d+)?\s*$/.test(value)) return Number(value) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** The error text a JSON API put in its body (`{ error: '…' }`, `{ error: { message } }`, `{ message }`). */
export function serverMessage(text: string): string | undefined {
  try {
    const body: unknown = JSON.parse(text);
    if (body !== null && typeof body === 'object') {
      const { error, message } = body as { error?: unknown; message?: unknown };
      if (typeof error === 'string') return error;
      if (error !== null && typeof error === 'object') {
        const inner = (error as { message?: unknown }).message;
        if (typeof inner === 'string') return inner;
      }
      if (typeof message === 'string') return message;
    }
  } catch {
    // Not JSON: fall through to the raw text.
  }
  const trimmed = text.trim();
  return trimmed.length > 0 ? trimmed.slice(0, 200) : undefined;
}

async function attempt(
  request: HttpJsonRequest,
  options: HttpClientOptions,
  safeUrl: string,
): Promise<unknown> {
  const { signal, secrets = [] } = request;
  const timeoutMs = options.timeoutMs ?? HTTP_CLIENT_DEFAULTS.timeoutMs;
  const attemptAbort = attemptSignal(timeoutMs, signal);
  const fetchFunction = options.fetch ?? globalThis.fetch;
  let status: number | undefined;
  try {
    const headers: Record<string, string> = { accept: 'application/json', ...request.headers };
    if (request.body !== undefined) headers['content-type'] = 'application/json';
    const response = await fetchFunction(request.url, {
      method: request.method ?? 'GET',
      headers,
      body: request.body === undefined ? undefined : JSON.stringify(request.body),
      signal: attemptAbort.signal,
    });
    status = response.status;
    const text = await response.text();
    if (!response.ok) {
      const detail = serverMessage(text);
      throw new ApiCallError({
        url: safeUrl,
        statusCode: response.status,
        message: redact(
          `${request.method ?? 'GET'} failed: ${response.status} ${response.statusText}${detail === undefined ? '' : ` — ${detail}`}`,
          secrets,
        ),
        retryAfterMs: parseRetryAfter(response.headers, (options.clock ?? systemClock).now()),
      });
    }
    try {
      return JSON.parse(text) as unknown;
    } catch (cause) {
      throw new ApiCallError({
        url: safeUrl,
        statusCode: response.status,
        message: 'The response is not valid JSON',
        cause,
        isRetryable: false,
      });
    }
  } catch (error) {
    if (ApiCallError.isInstance(error)) throw error;
    if (signal?.aborted) throw signal.reason;
    if (attemptAbort.timedOut()) {
      throw new ApiCallError({
        url: safeUrl,
        statusCode: status,
        message: `Timed out after ${timeoutMs} ms`,
        isRetryable: true,
      });
    }
    const reason = error instanceof Error ? error.message : String(error);
    throw new ApiCallError({
      url: safeUrl,
      statusCode: status,
      message: redact(
        status === undefined ? `Request failed: ${reason}` : `Reading the response failed: ${reason}`,
        secrets,
      ),
      // A status arrived but the body broke off: as retryable as a network failure.
      isRetryable: true,
    });
  } finally {
    attemptAbort.release();
  }
}

/**
 * How long to wait before trying again after `error` failed attempt `attemptNumber` (1-based), or
 * `undefined` to give up and throw it: when it is not a retryable {@link ApiCallError}, attempts
 * reached `maxAttempts`, or its `Retry-After` is longer than `maxDelayMs`. Without `Retry-After`
 * the wait is an exponential backoff from `initialDelayMs`, capped at `maxDelayMs`, with "equal
 * jitter" (half fixed, half random, so waits never collapse to zero).
 * @internal
 */
export function retryDelay(
  error: unknown,
  attemptNumber: number,
  options: HttpClientOptions,
  random: RandomSource,
): number | undefined {
  const {
    maxAttempts = HTTP_CLIENT_DEFAULTS.maxAttempts,
    initialDelayMs = HTTP_CLIENT_DEFAULTS.initialDelayMs,
    maxDelayMs = HTTP_CLIENT_DEFAULTS.maxDelayMs,
  } = options;
  if (!ApiCallError.isInstance(error) || !error.isRetryable || attemptNumber >= maxAttempts) return undefined;
  if (error.retryAfterMs !== undefined)
    return error.retryAfterMs > maxDelayMs ? undefined : error.retryAfterMs;
  const backoff = Math.min(maxDelayMs, initialDelayMs * 2 ** (attemptNumber - 1));
  return backoff / 2 + (random.next() * backoff) / 2;
}

/**
 * Calls a JSON API and returns the parsed body. Failures become {@link ApiCallError}s (with the
 * URL stripped of credentials and any `secrets` removed from the message); retryable ones (network
 * errors, timeouts, 408, 409, 429, 5xx) are tried again up to `maxAttempts` times, waiting for
 * `Retry-After` when the server sends one and otherwise an exponential backoff with jitter. A
 * `Retry-After` longer than `maxDelayMs` is not waited for: the error is thrown at once. Aborting
 * `signal` rejects with its reason.
 */
export async function fetchJson(request: HttpJsonRequest, options: HttpClientOptions = {}): Promise<unknown> {
  const { sleep = abortableSleep } = options;
  const random = options.random ?? seededRandom();
  const safeUrl = redact(redactUrl(request.url), request.secrets ?? []);
  for (let attemptNumber = 1; ; attemptNumber++) {
    if (request.signal?.aborted) throw request.signal.reason;
    try {
      return await attempt(request, options, safeUrl);
    } catch (error) {
      const delay = retryDelay(error, attemptNumber, options, random);
      if (delay === undefined) throw error;
      await sleep(delay, request.signal);
    }
  }
}

/** Whether `value` is a plain JSON object. */
export function isJsonObject(value: unknown): value is { readonly [key: string]: JsonValue } {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** An {@link ApiCallError} for a response that parsed but does not have the documented shape. */
export function unexpectedShape(url: string, what: string): ApiCallError {
  return new ApiCallError({
    url: redactUrl(url),
    statusCode: 200,
    message: `Unexpected response shape: ${what}`,
    isRetryable: false,
  });
}
