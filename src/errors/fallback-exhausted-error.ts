import { ModelscoutError } from './modelscout-error.js';
import { redactSecrets } from './redact-secrets.js';

const marker = 'modelscout.error.FallbackExhaustedError';
const symbol = Symbol.for(marker);

/**
 * How one model of a fallback chain fared:
 * - `'succeeded'`: it served the request;
 * - `'failed'`: `run` threw or rejected (`error` is what it threw);
 * - `'timed-out'`: it took longer than the attempt's timeout and was aborted (`error` is a
 *   `DOMException` named `'TimeoutError'`, also the reason of the signal `run` got);
 * - `'failure-result'`: it returned a result that the caller's `isFailure` classified as a failure;
 * - `'circuit-open'`: it was skipped, not called, because its circuit breaker was open.
 */
export type FallbackAttemptStatus = 'succeeded' | 'failed' | 'timed-out' | 'failure-result' | 'circuit-open';

/** One model tried (or skipped) by a fallback chain. */
export interface FallbackAttempt {
  readonly modelId: string;
  readonly status: FallbackAttemptStatus;
  /** Milliseconds the call took, on the chain's clock; `undefined` when the model was skipped. */
  readonly latencyMs: number | undefined;
  /** What went wrong, for `'failed'` and `'timed-out'` attempts. */
  readonly error: unknown;
}

/**
 * Every model of a fallback chain (the selected primary and its fallbacks) failed, timed out,
 * returned a failure or was skipped because its circuit was open. `attempts` lists each in the
 * order tried.
 */
export class FallbackExhaustedError extends ModelscoutError {
  protected readonly [symbol] = true;
  override readonly name = 'FallbackExhaustedError';
  /** Each model tried or skipped, in order, with its error. */
  readonly attempts: readonly FallbackAttempt[];
  /**
   * When models were skipped because their circuits were open: milliseconds until the first of
   * those circuits lets a probe through. `undefined` otherwise.
   */
  readonly retryAfterMs: number | undefined;

  constructor({
    attempts,
    retryAfterMs,
    cause,
  }: {
    attempts: readonly FallbackAttempt[];
    retryAfterMs?: number;
    cause?: unknown;
  }) {
    const described = attempts.map((attempt) => `${attempt.modelId} (${describe(attempt)})`).join('; ');
    super({
      message: redactSecrets(`Every model of the fallback chain failed: ${described || 'no model to try'}`),
      cause,
    });
    this.attempts = attempts;
    this.retryAfterMs = retryAfterMs;
  }

  /** Whether `error` is a {@link FallbackExhaustedError}. */
  static override isInstance(error: unknown): error is FallbackExhaustedError {
    return ModelscoutError.hasMarker(error, marker);
  }
}

function describe(attempt: FallbackAttempt): string {
  const { error } = attempt;
  if (error === undefined) return attempt.status;
  return `${attempt.status}: ${error instanceof Error ? error.message : String(error)}`;
}
