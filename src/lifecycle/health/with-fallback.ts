import { systemClock } from '../../clock/clock.js';
import type { TimerClock } from '../../clock/timer-clock.js';
import type { ModelCandidate } from '../../core/model-candidate.js';
import { assertKnownKeys, assertNumber } from '../../core/validate.js';
import { type FallbackAttempt, FallbackExhaustedError } from '../../errors/fallback-exhausted-error.js';
import { InvalidArgumentError } from '../../errors/invalid-argument-error.js';
import type { Outcome } from '../../scout.js';
import type { SelectedModels } from '../../selection/selected-models.js';
import { runAttempt } from './attempt-deadline.js';
import type { CircuitBreaker, CircuitPermit } from './circuit-breaker.js';
import {
  type AllCircuitsOpenPolicy,
  FALLBACK_DEFAULTS,
  FALLBACK_OPTION_KEYS,
  type FallbackAttemptContext,
  type FallbackOptions,
} from './fallback-options.js';

/** The models a fallback chain tries: the selected primary, then its fallbacks in order. */
export type FallbackChain = Pick<SelectedModels, 'primary' | 'fallbacks'>;

/** Calls one model of a fallback chain. */
export type FallbackRun<Result> = (
  candidate: ModelCandidate,
  context: FallbackAttemptContext,
) => Promise<Result> | Result;

/** What {@link runWithFallback} resolves to. */
export interface FallbackResult<Result> {
  /** What the serving model returned. */
  readonly result: Result;
  /** The model that served. */
  readonly candidate: ModelCandidate;
  /** Every model tried or skipped before and including the one that served, in order. */
  readonly attempts: readonly FallbackAttempt[];
}

/**
 * Runs `run` on the selected primary; when it fails, times out or returns a failure
 * (`isFailure`), moves down `selected.fallbacks`, and resolves with the first result that is
 * not a failure. Every model called has its outcome recorded through `recordOutcome` and
 * reported to its circuit breaker; models whose circuit is open are skipped (see
 * `allCircuitsOpen`). Each model is tried once, even when listed twice.
 *
 * {@link runWithFallback} does the same and also says which model served and what was tried.
 *
 * @example
 * ```ts
 * const selected = await scout.selectOptimal({ candidates });
 * const text = await withFallback(
 *   selected,
 *   (candidate, { signal }) => generate(candidate.id, prompt, { signal }),
 *   { recordOutcome: (outcome) => scout.recordOutcome(outcome), circuitBreakers: breakers, timeoutMs: 10_000 },
 * );
 * ```
 * @throws {FallbackExhaustedError} when every model failed or was skipped, with each attempt.
 * @throws {InvalidArgumentError} for an invalid chain or invalid options.
 * Rejects with the signal's reason when `options.signal` aborts (the current call is aborted).
 */
export async function withFallback<Result>(
  selected: FallbackChain,
  run: FallbackRun<Result>,
  options: FallbackOptions<Result> = {},
): Promise<Result> {
  return (await runWithFallback(selected, run, options)).result;
}

/**
 * {@link withFallback}, resolving also to the model that served and every attempt.
 *
 * @example
 * ```ts
 * const { result, candidate, attempts } = await runWithFallback(selected, classify, { recordOutcome });
 * if (attempts.length > 1) log.info(`${candidate.id} served after ${attempts.length - 1} failures`);
 * ```
 */
export async function runWithFallback<Result>(
  selected: FallbackChain,
  run: FallbackRun<Result>,
  options: FallbackOptions<Result> = {},
): Promise<FallbackResult<Result>> {
  const chain = resolveChain(selected);
  if (typeof run !== 'function') {
    throw new InvalidArgumentError({ argument: 'run', value: run, message: 'must be a function' });
  }
  const settings = resolveOptions(options);
  const { clock, signal, circuitBreakers } = settings;
  const attempts: FallbackAttempt[] = [];
  let calls = 0;

  function report(attempt: FallbackAttempt): void {
    attempts.push(attempt);
    settings.onAttempt?.(attempt);
  }

  async function record(outcome: Outcome): Promise<void> {
    if (settings.recordOutcome === undefined) return;
    await settings.recordOutcome(
      settings.context === undefined ? outcome : { ...outcome, context: settings.context },
    );
  }

  /** Calls one model; resolves to its result when it served, `undefined` when it failed. */
  async function attempt(
    candidate: ModelCandidate,
    permit: CircuitPermit | undefined,
  ): Promise<FallbackResult<Result> | undefined> {
    const modelId = candidate.id;
    const index = calls++;
    const startedAt = clock.now();
    const settlement = await runAttempt(
      (attemptSignal) => run(candidate, { signal: attemptSignal, attempt: index }),
      {
        clock,
        timeoutMs: settings.timeoutMs,
        parent: signal,
        label: `Model '${modelId}'`,
      },
    );
    const latencyMs = Math.max(0, clock.now() - startedAt);
    if (settlement.kind === 'aborted') {
      permit?.release();
      throw settlement.reason;
    }
    if (settlement.kind === 'value') {
      let failure: boolean;
      try {
        failure = settings.isFailure?.(settlement.value) === true;
      } catch (error) {
        permit?.release();
        throw error;
      }
      if (!failure) {
        permit?.recordSuccess();
        await record({ modelId, success: true, latencyMs });
        report({ modelId, status: 'succeeded', latencyMs, error: undefined });
        return { result: settlement.value, candidate, attempts };
      }
      const message = 'returned a result classified as a failure by isFailure';
      permit?.recordFailure(message);
      await record({ modelId, success: false, latencyMs, error: message });
      report({ modelId, status: 'failure-result', latencyMs, error: undefined });
      return undefined;
    }
    const { error } = settlement;
    permit?.recordFailure(error);
    await record({ modelId, success: false, latencyMs, error });
    report({ modelId, status: settlement.kind === 'timeout' ? 'timed-out' : 'failed', latencyMs, error });
    return undefined;
  }

  const skipped: { candidate: ModelCandidate; breaker: CircuitBreaker }[] = [];
  for (const candidate of chain) {
    signal?.throwIfAborted();
    const breaker = circuitBreakers?.get(candidate.id);
    const permit = breaker?.tryAttempt();
    if (breaker !== undefined && permit === undefined) {
      skipped.push({ candidate, breaker });
      report({ modelId: candidate.id, status: 'circuit-open', latencyMs: undefined, error: undefined });
      continue;
    }
    const served = await attempt(candidate, permit);
    if (served !== undefined) return served;
  }

  if (calls === 0 && settings.allCircuitsOpen === 'try-least-recently-opened') {
    const lastResort = leastRecentlyOpened(skipped);
    if (lastResort !== undefined) {
      signal?.throwIfAborted();
      const served = await attempt(lastResort.candidate, lastResort.breaker.tryAttempt({ force: true }));
      if (served !== undefined) return served;
    }
  }
  throw new FallbackExhaustedError({
    attempts,
    retryAfterMs: retryAfter(skipped, clock),
    cause: attempts.findLast((attempt) => attempt.error !== undefined)?.error,
  });
}

interface ResolvedFallbackOptions<Result> extends FallbackOptions<Result> {
  readonly timeoutMs: number;
  readonly allCircuitsOpen: AllCircuitsOpenPolicy;
  readonly clock: TimerClock;
}

function resolveChain(selected: FallbackChain): ModelCandidate[] {
  if (selected === null || typeof selected !== 'object') {
    throw new InvalidArgumentError({
      argument: 'selected',
      value: selected,
      message: 'must have a primary and fallbacks',
    });
  }
  const { primary, fallbacks = [] } = selected;
  if (!Array.isArray(fallbacks)) {
    throw new InvalidArgumentError({
      argument: 'selected.fallbacks',
      value: fallbacks,
      message: 'must be an array of candidates',
    });
  }
  const chain: ModelCandidate[] = [];
  const seen = new Set<string>();
  for (const [index, candidate] of [primary, ...fallbacks].entries()) {
    if (
      candidate === null ||
      typeof candidate !== 'object' ||
      typeof candidate.id !== 'string' ||
      !candidate.id
    ) {
      throw new InvalidArgumentError({
        argument: index === 0 ? 'selected.primary' : `selected.fallbacks[${index - 1}]`,
        value: candidate,
        message: 'must be a model candidate with a non-empty id',
      });
    }
    if (seen.has(candidate.id)) continue;
    seen.add(candidate.id);
    chain.push(candidate);
  }
  return chain;
}

function resolveOptions<Result>(options: FallbackOptions<Result>): ResolvedFallbackOptions<Result> {
  if (options === null || typeof options !== 'object') {
    throw new InvalidArgumentError({ argument: 'options', value: options, message: 'must be an object' });
  }
  assertKnownKeys('options', options, FALLBACK_OPTION_KEYS);
  const {
    timeoutMs = FALLBACK_DEFAULTS.timeoutMs,
    allCircuitsOpen = FALLBACK_DEFAULTS.allCircuitsOpen,
    clock = systemClock,
  } = options;
  if (timeoutMs !== Number.POSITIVE_INFINITY) {
    assertNumber('options.timeoutMs', timeoutMs, { minimum: 0, exclusiveMinimum: true });
  }
  if (allCircuitsOpen !== 'fail' && allCircuitsOpen !== 'try-least-recently-opened') {
    throw new InvalidArgumentError({
      argument: 'options.allCircuitsOpen',
      value: allCircuitsOpen,
      message: "must be 'fail' or 'try-least-recently-opened'",
    });
  }
  if (clock === null || typeof clock !== 'object' || typeof clock.setTimer !== 'function') {
    throw new InvalidArgumentError({
      argument: 'options.clock',
      value: clock,
      message: 'must be a TimerClock (with now and setTimer)',
    });
  }
  for (const name of ['recordOutcome', 'isFailure', 'onAttempt'] as const) {
    if (options[name] !== undefined && typeof options[name] !== 'function') {
      throw new InvalidArgumentError({
        argument: `options.${name}`,
        value: options[name],
        message: 'must be a function',
      });
    }
  }
  if (options.signal !== undefined && !(options.signal instanceof AbortSignal)) {
    throw new InvalidArgumentError({
      argument: 'options.signal',
      value: options.signal,
      message: 'must be an AbortSignal',
    });
  }
  const { circuitBreakers } = options;
  if (circuitBreakers !== undefined && typeof circuitBreakers?.get !== 'function') {
    throw new InvalidArgumentError({
      argument: 'options.circuitBreakers',
      value: circuitBreakers,
      message: 'must be CircuitBreakers (from createCircuitBreakers)',
    });
  }
  return { ...options, timeoutMs, allCircuitsOpen, clock };
}

/** The skipped model whose circuit opened longest ago. */
function leastRecentlyOpened<Entry extends { breaker: CircuitBreaker }>(
  skipped: readonly Entry[],
): Entry | undefined {
  let oldest: Entry | undefined;
  let oldestOpenedAt = Number.POSITIVE_INFINITY;
  for (const entry of skipped) {
    const openedAt = entry.breaker.snapshot().openedAt ?? Number.NEGATIVE_INFINITY;
    if (oldest === undefined || openedAt < oldestOpenedAt) {
      oldest = entry;
      oldestOpenedAt = openedAt;
    }
  }
  return oldest;
}

/** Milliseconds until the first skipped circuit lets a probe through, when any was skipped. */
function retryAfter(skipped: readonly { breaker: CircuitBreaker }[], clock: TimerClock): number | undefined {
  let earliest: number | undefined;
  for (const { breaker } of skipped) {
    const { halfOpensAt, state } = breaker.snapshot();
    // Half-open with every probe slot taken: a slot may free up at any moment.
    const at = state === 'open' ? halfOpensAt : clock.now();
    if (at !== undefined && (earliest === undefined || at < earliest)) earliest = at;
  }
  return earliest === undefined ? undefined : Math.max(0, earliest - clock.now());
}
