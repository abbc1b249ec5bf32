/**
 * Why a circuit opened:
 * - `'consecutive-failures'`: `consecutiveFailureThreshold` failures in a row;
 * - `'failure-rate'`: at least `minimumCalls` calls in the rolling window, and the share that
 *   failed reached `failureRateThreshold`;
 * - `'probe-failed'`: a probe call (half-open, or one forced through an open circuit) failed, so
 *   the cool-down starts again.
 */
export type CircuitOpenReason = 'consecutive-failures' | 'failure-rate' | 'probe-failed';

/** Emitted when a model's circuit opens (trips): calls to it are refused for the cool-down. */
export interface CircuitOpenedEvent {
  readonly modelId: string;
  readonly reason: CircuitOpenReason;
  /** Failures in a row when it opened. */
  readonly consecutiveFailures: number;
  /** Calls and failures in the rolling window when it opened. */
  readonly calls: number;
  readonly failures: number;
  /** The message of the failure that opened it, when there was one. */
  readonly error: string | undefined;
  /** When it lets a probe through, on the breaker's clock. */
  readonly halfOpensAt: number;
}

/**
 * Emitted when an open circuit's cool-down has passed and it lets probes through. Breakers set
 * no timers: this happens on the first look at the breaker (a call, `state()`, `snapshot()`) at
 * or after the end of the cool-down.
 */
export interface CircuitHalfOpenedEvent {
  readonly modelId: string;
  readonly reason: 'cool-down-elapsed';
  /** Milliseconds since it opened. */
  readonly openForMs: number;
}

/** Emitted when a circuit closes again: calls go through. */
export interface CircuitClosedEvent {
  readonly modelId: string;
  /** `'probe-succeeded'`: enough probes succeeded; `'reset'`: `reset()` was called. */
  readonly reason: 'probe-succeeded' | 'reset';
  /** Milliseconds since it opened. */
  readonly openForMs: number;
}

/** Events of circuit breakers (`circuitBreaker`, `createCircuitBreakers`). */
export interface CircuitBreakerEvents {
  circuit_opened: [event: CircuitOpenedEvent];
  circuit_half_opened: [event: CircuitHalfOpenedEvent];
  circuit_closed: [event: CircuitClosedEvent];
}
