/**
 * The state of a model's circuit breaker:
 * - `'closed'`: calls go through; failures are counted;
 * - `'open'`: the model failed too often; calls are refused until the cool-down has passed;
 * - `'half-open'`: the cool-down has passed; a few probe calls go through, and their outcome
 *   closes the circuit again or re-opens it.
 */
export type CircuitState = 'closed' | 'open' | 'half-open';

/** What a circuit breaker knows about its model, at one moment. */
export interface CircuitSnapshot {
  readonly modelId: string;
  readonly state: CircuitState;
  /** Failures in a row since the last success (while closed). */
  readonly consecutiveFailures: number;
  /** Calls counted in the rolling window (while closed). */
  readonly calls: number;
  /** Failures counted in the rolling window (while closed). */
  readonly failures: number;
  /** When the circuit last opened, on the breaker's clock; `undefined` when it never has. */
  readonly openedAt: number | undefined;
  /** When an open circuit lets probes through; `undefined` unless it is open. */
  readonly halfOpensAt: number | undefined;
}
