import { ApiCallError } from './api-call-error.js';
import { ModelscoutError } from './modelscout-error.js';
import { redactSecrets } from './redact-secrets.js';

const marker = 'modelscout.error.ProviderError';
const symbol = Symbol.for(marker);

/** What a model provider was doing when it failed. */
export type ProviderOperation = 'listModels' | 'getModel';

/**
 * Why a provider's answer was not (fully) used:
 * - `'failed'`: it threw or rejected (a network error, an HTTP error, a bug);
 * - `'timed-out'`: it did not finish within the discovery service's `providerTimeoutMs`;
 * - `'malformed'`: it returned something that is not a listing, or candidates that break the
 *   `ModelCandidate` contract (those were skipped; the others were kept).
 */
export type ProviderErrorReason = 'failed' | 'timed-out' | 'malformed';

function describeOperation(operation: ProviderOperation): string {
  return operation === 'listModels' ? 'listing models' : 'getting a model';
}

/**
 * A model provider failed, timed out or returned malformed data during discovery. The discovery
 * service reports it in its result (`errors`) instead of failing the whole call, so one provider
 * never sinks the others. The message never contains credentials: it is built from the cause's
 * message with token-like strings removed.
 */
export class ProviderError extends ModelscoutError {
  protected readonly [symbol] = true;
  override readonly name = 'ProviderError';
  /** The provider's name, e.g. `'huggingface'`. */
  readonly provider: string;
  /** What it was doing. */
  readonly operation: ProviderOperation;
  /** Why its answer was not (fully) used. */
  readonly reason: ProviderErrorReason;
  /**
   * Whether the same call may succeed later: timeouts, and failures whose cause is a retryable
   * `ApiCallError` (network errors, 408, 409, 429, 5xx).
   */
  readonly isRetryable: boolean;
  /** For `'malformed'`: how many candidates were skipped. */
  readonly skippedCandidates: number | undefined;

  constructor({
    provider,
    operation,
    reason,
    cause,
    detail,
    skippedCandidates,
    isRetryable = reason === 'timed-out' || (ApiCallError.isInstance(cause) && cause.isRetryable),
  }: {
    provider: string;
    operation: ProviderOperation;
    reason: ProviderErrorReason;
    cause?: unknown;
    /** What went wrong, e.g. `'timed out after 30000 ms'`; defaults to the cause's message. */
    detail?: string;
    skippedCandidates?: number;
    isRetryable?: boolean;
  }) {
    const causeMessage =
      cause instanceof Error ? cause.message : cause === undefined ? 'unknown failure' : String(cause);
    super({
      message: redactSecrets(
        `Provider '${provider}' ${reason === 'failed' ? 'failed' : reason === 'timed-out' ? 'timed out' : 'returned malformed data'} while ${describeOperation(operation)}: ${detail ?? causeMessage}`,
      ),
      cause,
    });
    this.provider = provider;
    this.operation = operation;
    this.reason = reason;
    this.isRetryable = isRetryable;
    this.skippedCandidates = skippedCandidates;
  }

  /** Whether `error` is a {@link ProviderError}. */
  static override isInstance(error: unknown): error is ProviderError {
    return ModelscoutError.hasMarker(error, marker);
  }
}
