import type { TimerClock } from '../../clock/timer-clock.js';
import type { FallbackAttempt } from '../../errors/fallback-exhausted-error.js';
import type { Outcome } from '../../scout.js';
import type { Context } from '../../selection/context.js';
import type { CircuitBreakers } from './circuit-breakers.js';

/**
 * What a fallback chain does when every model's circuit is open (none could be called):
 * - `'fail'`: reject at once with a `FallbackExhaustedError` (every attempt `'circuit-open'`,
 *   `retryAfterMs` set), as LiteLLM's router does when every deployment cools down. The open
 *   circuits then protect the models and the caller fails fast.
 * - `'try-least-recently-opened'`: call the model whose circuit opened longest ago (its
 *   cool-down is nearest its end) as a forced probe: its success closes its circuit, its failure
 *   restarts its cool-down. For hosts that prefer a slow answer to none.
 */
export type AllCircuitsOpenPolicy = 'fail' | 'try-least-recently-opened';

/** What `run` gets besides the candidate, in a fallback chain. */
export interface FallbackAttemptContext {
  /**
   * Aborts when the attempt times out (reason: a `DOMException` named `'TimeoutError'`) or the
   * caller's `signal` aborts (its reason). Pass it on to the model call so a hung model stops.
   */
  readonly signal: AbortSignal;
  /** How many models were called before this one in the chain (0 for the first call). */
  readonly attempt: number;
}

/** Options of {@link withFallback} and {@link runWithFallback}. */
export interface FallbackOptions<Result> {
  /**
   * Receives the outcome of every model called: `success: true` with `latencyMs`, or
   * `success: false` with the `error` and `latencyMs`. Pass `scout.recordOutcome` so the
   * selector learns from fallbacks. Awaited; a rejection rejects the chain. Skipped models and
   * aborted calls record nothing. @default no recording
   */
  readonly recordOutcome?: (outcome: Outcome) => void | Promise<void>;
  /** The request's context, copied to every outcome. @default no context */
  readonly context?: Context;
  /**
   * The breakers of the models: models whose circuit is open (or half-open with every probe
   * slot taken) are skipped, and every call's success or failure is reported to its breaker.
   * @default no breakers (every model is called)
   */
  readonly circuitBreakers?: CircuitBreakers;
  /** What to do when every model's circuit is open; see {@link AllCircuitsOpenPolicy}. @default 'fail' */
  readonly allCircuitsOpen?: AllCircuitsOpenPolicy;
  /**
   * Milliseconds one model may take (on `clock`). A model that takes longer is aborted through
   * its signal, counted as a failure, and the next model is tried at once. `Infinity` waits for ever.
   * @default 30_000
   */
  readonly timeoutMs?: number;
  /** Aborting it aborts the current call and rejects the chain with the signal's reason. */
  readonly signal?: AbortSignal;
  /**
   * Classifies a result that `run` returned (did not throw) as a failure, e.g. an HTTP response
   * with an error status or an empty completion. Such a result counts as a failure and the chain
   * moves on. @default every returned result is a success
   */
  readonly isFailure?: (result: Result) => boolean;
  /** Called after each model is tried or skipped, in order (for logs and metrics). */
  readonly onAttempt?: (attempt: FallbackAttempt) => void;
  /** Times the attempts (timeouts, `latencyMs`). @default systemClock */
  readonly clock?: TimerClock;
}

/** Defaults of {@link FallbackOptions}. */
export const FALLBACK_DEFAULTS = Object.freeze({
  timeoutMs: 30_000,
  allCircuitsOpen: 'fail' as AllCircuitsOpenPolicy,
});

/** @internal */
export const FALLBACK_OPTION_KEYS = [
  'recordOutcome',
  'context',
  'circuitBreakers',
  'allCircuitsOpen',
  'timeoutMs',
  'signal',
  'isFailure',
  'onAttempt',
  'clock',
] as const;
