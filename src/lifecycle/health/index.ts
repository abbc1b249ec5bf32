export {
  type CircuitAttemptOptions,
  type CircuitBreaker,
  type CircuitPermit,
  circuitBreaker,
  type SingleCircuitBreakerOptions,
} from './circuit-breaker.js';
export type {
  CircuitBreakerEvents,
  CircuitClosedEvent,
  CircuitHalfOpenedEvent,
  CircuitOpenedEvent,
  CircuitOpenReason,
} from './circuit-breaker-events.js';
export { CIRCUIT_BREAKER_DEFAULTS, type CircuitBreakerOptions } from './circuit-breaker-options.js';
export { type CircuitBreakers, createCircuitBreakers } from './circuit-breakers.js';
export type { CircuitSnapshot, CircuitState } from './circuit-state.js';
export {
  type AllCircuitsOpenPolicy,
  FALLBACK_DEFAULTS,
  type FallbackAttemptContext,
  type FallbackOptions,
} from './fallback-options.js';
export {
  type FallbackChain,
  type FallbackResult,
  type FallbackRun,
  runWithFallback,
  withFallback,
} from './with-fallback.js';
