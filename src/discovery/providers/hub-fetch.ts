import { ApiCallError } from '../../errors/api-call-error.js';

/** The `X-Error-Code` of failed Hub responses, by error (e.g. `RepoNotFound`, `RevisionNotFound`). */
const errorCodes = new WeakMap<ApiCallError, string>();

/** The Hub's `X-Error-Code` of an {@link ApiCallError} thrown by {@link hubFetch}, when it sent one. */
export function hubErrorCode(error: ApiCallError): string | undefined {
  return errorCodes.get(error);
}

/** Options of {@link hubFetch}. */
export interface HubFetchOptions {
  /** The fetch to wrap. @default globalThis.fetch */
  readonly fetch?: typeof fetch;
  /** Aborts every request made through the wrapper. */
  readonly signal?: AbortSignal;
  /** Names the service in error messages. @default 'Hugging Face Hub' */
  readonly service?: string;
}

/**
 * Wraps `fetch` for `@huggingface/hub`: adds `signal` to every request and turns every failed
 * response into an {@link ApiCallError} (with `statusCode`, the URL without credentials,
 * `isRetryable` for 408/409/429/5xx, `retryAfterMs` from `Retry-After`), and network failures into
 * a retryable {@link ApiCallError} without a status. Aborts stay `AbortError`s. Request headers
 * (the access token) never reach an error.
 */
export function hubFetch({
  fetch: baseFetch = globalThis.fetch,
  signal,
  service = 'Hugging Face Hub',
}: HubFetchOptions = {}): typeof fetch {
  return async (input, init) => {
    const url = safeUrl(input);
    signal?.throwIfAborted();
    let response: Response;
    try {
      response = await baseFetch(input, signal ? { ...init, signal } : init);
    } catch (error) {
      if (signal?.aborted || (error instanceof Error && error.name === 'AbortError')) throw error;
      throw new ApiCallError({ url, message: `Request to the ${service} failed`, cause: error });
    }
    if (response.ok) return response;
    const errorCode = response.headers.get('X-Error-Code') ?? undefined;
    const detail = await responseDetail(response);
    const retryAfterMs = parseRetryAfter(response.headers.get('Retry-After'), response.headers.get('Date'));
    const error = new ApiCallError({
      url,
      statusCode: response.status,
      message: `The ${service} answered ${response.status}${errorCode ? ` ${errorCode}` : ''}${detail ? `: ${detail}` : ''}`,
      ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
    });
    if (errorCode) errorCodes.set(error, errorCode);
    throw error;
  };
}

/**
 * Milliseconds to wait from a `Retry-After` header: delay-seconds, or an HTTP date (measured from
 * the response's `Date` header when present, else from now). `undefined` when absent or invalid.
 */
export function parseRetryAfter(value: string | null, responseDate?: string | null): number | undefined {
  if (value === null) return undefined;
  const text = value.trim();
  if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
  const until = Date.parse(text);
  if (Number.isNaN(until)) return undefined;
  const sent = responseDate ? Date.parse(responseDate) : Number.NaN;
  return Math.max(0, until - (Number.isNaN(sent) ? Date.now() : sent));
}

function safeUrl(input: string | URL | Request): string {
  const raw = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
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
