import type { EventEmitter } from 'eventemitter3';
import type { Clock } from '../../clock/clock.js';
import { systemClock } from '../../clock/clock.js';
import { assertKnownKeys, assertNumber } from '../../core/validate.js';
import { InvalidArgumentError } from '../../errors/invalid-argument-error.js';
import type { CircuitBreakerEvents } from './circuit-breaker-events.js';

/**
 * Options of {@link circuitBreaker} and {@link createCircuitBreakers}: when a model's circuit
 * opens, how long it stays open and how it closes again (as LiteLLM's router cools deployments down).
 */
export interface CircuitBreakerOptions {
  /**
   * Failures in a row that open the circuit. Lower it for models that fail hard (a crashed local
   * server); `Infinity` leaves only the failure-rate rule.
   * @default 3
   */
  readonly consecutiveFailureThreshold?: number;
  /**
   * Share of failed calls in the rolling window, in (0, 1], that opens the circuit once the
   * window holds `minimumCalls` calls: catches models that fail often but not in a row.
   * @default 0.5
   */
  readonly failureRateThreshold?: number;
  /** Length of the rolling window of the failure-rate rule, in milliseconds. @default 60_000 */
  readonly rollingWindowMs?: number;
  /**
   * Calls the rolling window must hold before the failure-rate rule applies, so that two
   * failures out of three calls do not open it. `Infinity` turns the rule off.
   * @default 10
   */
  readonly minimumCalls?: number;
  /**
   * Milliseconds an open circuit refuses calls before it lets probes through (half-open). Raise
   * it for models that take long to recover (a reloading server).
   * @default 5_000
   */
  readonly coolDownMs?: number;
  /**
   * Probe calls a half-open circuit lets through at once. That many successes close it; one
   * failure opens it again for another cool-down.
   * @default 1
   */
  readonly halfOpenProbes?: number;
  /** Reads the time for the cool-down and the rolling window. @default systemClock */
  readonly clock?: Clock;
  /** Where `circuit_opened`, `circuit_half_opened` and `circuit_closed` go. @default a new emitter */
  readonly events?: EventEmitter<CircuitBreakerEvents>;
}

/** Defaults of {@link CircuitBreakerOptions}. */
export const CIRCUIT_BREAKER_DEFAULTS = Object.freeze({
  consecutiveFailureThreshold: 3,
  failureRateThreshold: 0.5,
  rollingWindowMs: 60_000,
  minimumCalls: 10,
  coolDownMs: 5_000,
  halfOpenProbes: 1,
});

/** {@link CircuitBreakerOptions} with every default applied, but the emitter. @internal */
export interface CircuitBreakerSettings {
  readonly consecutiveFailureThreshold: number;
  readonly failureRateThreshold: number;
  readonly rollingWindowMs: number;
  readonly minimumCalls: number;
  readonly coolDownMs: number;
  readonly halfOpenProbes: number;
  readonly clock: Clock;
}

/** @internal */
export const CIRCUIT_BREAKER_OPTION_KEYS = [
  'consecutiveFailureThreshold',
  'failureRateThreshold',
  'rollingWindowMs',
  'minimumCalls',
  'coolDownMs',
  'halfOpenProbes',
  'clock',
  'events',
] as const;

function assertCount(argument: string, value: number): void {
  if (value === Number.POSITIVE_INFINITY) return;
  assertNumber(argument, value, { minimum: 1, integer: true });
}

/** Validates {@link CircuitBreakerOptions} and applies the defaults. @internal */
export function resolveCircuitBreakerOptions(
  options: CircuitBreakerOptions,
  argument: string,
  extraKeys: readonly string[] = [],
): CircuitBreakerSettings {
  if (options === null || typeof options !== 'object') {
    throw new InvalidArgumentError({ argument, value: options, message: 'must be an object' });
  }
  assertKnownKeys(argument, options, [...CIRCUIT_BREAKER_OPTION_KEYS, ...extraKeys]);
  const {
    consecutiveFailureThreshold = CIRCUIT_BREAKER_DEFAULTS.consecutiveFailureThreshold,
    failureRateThreshold = CIRCUIT_BREAKER_DEFAULTS.failureRateThreshold,
    rollingWindowMs = CIRCUIT_BREAKER_DEFAULTS.rollingWindowMs,
    minimumCalls = CIRCUIT_BREAKER_DEFAULTS.minimumCalls,
    coolDownMs = CIRCUIT_BREAKER_DEFAULTS.coolDownMs,
    halfOpenProbes = CIRCUIT_BREAKER_DEFAULTS.halfOpenProbes,
    clock = systemClock,
  } = options;
  assertCount(`${argument}.consecutiveFailureThreshold`, consecutiveFailureThreshold);
  assertNumber(`${argument}.failureRateThreshold`, failureRateThreshold, {
    minimum: 0,
    exclusiveMinimum: true,
    maximum: 1,
  });
  assertNumber(`${argument}.rollingWindowMs`, rollingWindowMs, { minimum: 0, exclusiveMinimum: true });
  assertCount(`${argument}.minimumCalls`, minimumCalls);
  assertNumber(`${argument}.coolDownMs`, coolDownMs, { minimum: 0 });
  assertNumber(`${argument}.halfOpenProbes`, halfOpenProbes, { minimum: 1, integer: true });
  if (clock === null || typeof clock !== 'object' || typeof clock.now !== 'function') {
    throw new InvalidArgumentError({
      argument: `${argument}.clock`,
      value: clock,
      message: 'must be a Clock',
    });
  }
  return {
    consecutiveFailureThreshold,
    failureRateThreshold,
    rollingWindowMs,
    minimumCalls,
    coolDownMs,
    halfOpenProbes,
    clock,
  };
}
