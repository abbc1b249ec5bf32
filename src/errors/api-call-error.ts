import { ModelscoutError } from './modelscout-error.js';

const marker = 'modelscout.error.ApiCallError';
const symbol = Symbol.for(marker);

/**
 * An HTTP call to a model provider or server failed. `isRetryable` is true for network
 * failures and for status codes 408, 409, 429 and 5xx.
 */
export class ApiCallError extends ModelscoutError {
  protected readonly [symbol] = true;
  override readonly name = 'ApiCallError';
  /** The URL that was called (never containing credentials). */
  readonly url: string;
  /** The HTTP status code, when a response arrived. */
  readonly statusCode: number | undefined;
  /** Whether the same call may succeed when tried again. */
  readonly isRetryable: boolean;
  /** Milliseconds the server asked to wait (from `Retry-After`), when given. */
  readonly retryAfterMs: number | undefined;

  constructor({
    url,
    statusCode,
    message,
    cause,
    isRetryable = statusCode == null ||
      statusCode === 408 ||
      statusCode === 409 ||
      statusCode === 429 ||
      statusCode >= 500,
    retryAfterMs,
  }: {
    url: string;
    statusCode?: number;
    message: string;
    cause?: unknown;
    isRetryable?: boolean;
    retryAfterMs?: number;
  }) {
    super({ message: `${message} (${statusCode ?? 'no response'} from ${url})`, cause });
    this.url = url;
    this.statusCode = statusCode;
    this.isRetryable = isRetryable;
    this.retryAfterMs = retryAfterMs;
  }

  /** Whether `error` is a {@link ApiCallError}. */
  static override isInstance(error: unknown): error is ApiCallError {
    return ModelscoutError.hasMarker(error, marker);
  }
}
