import { systemClock } from '../../clock/clock.js';
import { ApiCallError } from '../../errors/api-call-error.js';
import { seededRandom } from '../../random/seeded-random.js';
import { attemptSignal } from './attempt-signal.js';
import { abortableSleep, HTTP_CLIENT_DEFAULTS, type HttpClientOptions, retryDelay } from './http-json.js';

/** The `X-Error-Code` of failed Hub responses, by error (e.g. `RepoNotFound`, `RevisionNotFound`). */
const errorCodes = new WeakMap<ApiCallError, string>();

/** The Hub's `X-Error-Code` of an {@link ApiCallError} thrown by {@link hubFetch}, when it sent one. */
export function hubErrorCode(error: ApiCallError): string | undefined {
  return errorCodes.get(error);
}

/** Options of {@link hubFetch}: the wrapped fetch, timeouts and retries (see {@link HttpClientOptions}). */
export interface HubFetchOptions extends HttpClientOptions {
  /** Aborts every request made through the wrapper. */
  readonly signal?: AbortSignal;
  /** Names the service in error messages. @default 'Hugging Face Hub' */
  readonly service?: string;
}

/** The most redirects followed by hand for a fetch that does not follow them itself. */
const MAX_REDIRECTS = 5;
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

/**
 * Wraps `fetch` for `@huggingface/hub`:
 * - adds `signal` to every request, and a timeout per attempt (`timeoutMs`, body included: a
 *   successful response is read in full and handed on as a new `Response`);
 * - turns every failed response into an {@link ApiCallError} (`statusCode`, the URL without
 *   credentials, `isRetryable` for 408/409/429/5xx, `retryAfterMs` from `Retry-After`), and
 *   network failures and timeouts into a retryable one without a status. Aborts stay `AbortError`s;
 * - retries retryable failures up to `maxAttempts` times, waiting what `Retry-After` asks (up to
 *   `maxDelayMs`; longer is not waited for) or an exponential backoff with jitter;
 * - follows redirects (a renamed repository answers `307` to its new id) when the underlying
 *   fetch hands them back unfollowed, dropping the `Authorization` header on a change of origin.
 *
 * Request headers (the access token) never reach an error.
 */
export function hubFetch(options: HubFetchOptions = {}): typeof fetch {
  const { signal, service = 'Hugging Face Hub', sleep = abortableSleep } = options;
  const random = options.random ?? seededRandom();
  return async (input, init) => {
    for (let attemptNumber = 1; ; attemptNumber++) {
      signal?.throwIfAborted();
      try {
        return await attempt(input, init, options, service);
      } catch (error) {
        const delay = retryDelay(error, attemptNumber, options, random);
        if (delay === undefined) throw error;
        await sleep(delay, signal);
      }
    }
  };
}

async function attempt(
  input: string | URL | Request,
  init: RequestInit | undefined,
  options: HubFetchOptions,
  service: string,
): Promise<Response> {
  const { signal } = options;
  const baseFetch = options.fetch ?? globalThis.fetch;
  const timeoutMs = options.timeoutMs ?? HTTP_CLIENT_DEFAULTS.timeoutMs;
  const attemptAbort = attemptSignal(timeoutMs, signal, init?.signal);
  let url = requestUrl(input);
  let status: number | undefined;
  try {
    let requestInit: RequestInit = { ...init, signal: attemptAbort.signal };
    let response = await baseFetch(input, requestInit);
    for (let redirects = 0; REDIRECT_STATUSES.has(response.status); redirects++) {
      const location = response.headers.get('Location');
      if (location === null) break;
      if (redirects >= MAX_REDIRECTS) {
        throw new ApiCallError({
          url: safeUrl(url),
          statusCode: response.status,
          message: `The ${service} redirected more than ${MAX_REDIRECTS} times`,
          isRetryable: false,
        });
      }
      await response.body?.cancel().catch(() => {});
      const next = new URL(location, url);
      requestInit = redirectedInit(requestInit, new URL(url), next, response.status);
      url = next.href;
      response = await baseFetch(url, requestInit);
    }
    status = response.status;
    if (!response.ok) {
      const errorCode = response.headers.get('X-Error-Code') ?? undefined;
      const detail = await responseDetail(response);
      const retryAfterMs = parseRetryAfter(
        response.headers.get('Retry-After'),
        response.headers.get('Date'),
        (options.clock ?? systemClock).now(),
      );
      const error = new ApiCallError({
        url: safeUrl(url),
        statusCode: response.status,
        message: `The ${service} answered ${response.status}${errorCode ? ` ${errorCode}` : ''}${detail ? `: ${detail}` : ''}`,
        ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
      });
      if (errorCode) errorCodes.set(error, errorCode);
      throw error;
    }
    // Read the body while the timeout still runs, then hand on a complete response.
    const body = await response.arrayBuffer();
    return new Response(response.status === 204 || response.status === 304 ? null : body, {
      status: response.status,
      statusText: response.statusText,
      headers: response.headers,
    });
  } catch (error) {
    if (ApiCallError.isInstance(error)) throw error;
    if (signal?.aborted) throw signal.reason;
    if (init?.signal?.aborted) throw init.signal.reason;
    if (attemptAbort.timedOut()) {
      throw new ApiCallError({
        url: safeUrl(url),
        statusCode: status,
        message: `The ${service} did not answer within ${timeoutMs} ms`,
        isRetryable: true,
      });
    }
    if (error instanceof Error && error.name === 'AbortError') throw error;
    throw new ApiCallError({
      url: safeUrl(url),
      statusCode: status,
      message:
        status === undefined
          ? `Request to the ${service} failed`
          : `Reading the ${service}'s response failed`,
      cause: error,
      isRetryable: true,
    });
  } finally {
    attemptAbort.release();
  }
}

/** The request options for following a redirect: GET after 303, no credentials to another origin. */
function redirectedInit(init: RequestInit, from: URL, to: URL, status: number): RequestInit {
  const headers = new Headers(init.headers);
  if (from.origin !== to.origin) {
    headers.delete('authorization');
    headers.delete('cookie');
  }
  const next: RequestInit = { ...init, headers };
  if (status === 303 || ((status === 301 || status === 302) && init.method === 'POST')) {
    next.method = 'GET';
    delete next.body;
  }
  return next;
}

/**
 * Milliseconds to wait from a `Retry-After` header: delay-seconds, or an HTTP date (measured from
 * the response's `Date` header when present, else from `now`). `undefined` when absent or invalid.
 */
export function parseRetryAfter(
  value: string | null,
  responseDate?: string | null,
  now: number = Date.now(),
): number | undefined {
  if (value === null) return undefined;
  const text = value.trim();
  if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
  const until = Date.parse(text);
  if (Number.isNaN(until)) return undefined;
  const sent = responseDate ? Date.parse(responseDate) : Number.NaN;
  return Math.max(0, until - (Number.isNaN(sent) ? now : sent));
}

function requestUrl(input: string | URL | Request): string {
  return typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
}

function safeUrl(raw: string): string {
  try {
    const url = new URL(raw);
    url.username = '';
    url.password = '';
    return url.href;
  } catch {
    return raw;
  }
}

async function responseDetail(response: Response): Promise<string | undefined> {
  let text: string;
  try {
    text = await response.text();
  } catch {
    return undefined;
  }
  let detail = text;
  try {
    const body: unknown = JSON.parse(text);
    if (typeof body === 'object' && body !== null) {
      const { error, message } = body as { error?: unknown; message?: unknown };
      if (typeof error === 'string') detail = error;
      else if (typeof message === 'string') detail = message;
    }
  } catch {
    // Not JSON; keep the text.
  }
  detail = detail.replace(/\s+/g, ' ').trim();
  return detail === '' ? undefined : detail.length > 200 ? `${detail.slice(0, 200)}…` : detail;
}
