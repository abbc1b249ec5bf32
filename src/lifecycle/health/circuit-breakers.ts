import { EventEmitter } from 'eventemitter3';
import { InvalidArgumentError } from '../../errors/invalid-argument-error.js';
import { type CircuitBreaker, setUpCircuitBreaker } from './circuit-breaker.js';
import type { CircuitBreakerEvents } from './circuit-breaker-events.js';
import { type CircuitBreakerOptions, resolveCircuitBreakerOptions } from './circuit-breaker-options.js';
import type { CircuitSnapshot, CircuitState } from './circuit-state.js';

/** One {@link CircuitBreaker} per model, with shared settings and one emitter. */
export interface CircuitBreakers {
  /** The breaker of `modelId`, created (closed) on first use. */
  get(modelId: string): CircuitBreaker;
  /** The state of `modelId`'s circuit: `'closed'` for a model never seen (no breaker is created). */
  state(modelId: string): CircuitState;
  /** Snapshots of every breaker created so far. */
  snapshots(): CircuitSnapshot[];
  /** Closes `modelId`'s circuit, or every circuit when no id is given. */
  reset(modelId?: string): void;
  /** `circuit_opened`, `circuit_half_opened`, `circuit_closed` of every model. */
  readonly events: EventEmitter<CircuitBreakerEvents>;
}

/**
 * Creates circuit breakers for many models (e.g. every model a fallback chain may call), all
 * with the same settings and emitting on one emitter.
 *
 * @example
 * ```ts
 * const breakers = createCircuitBreakers({ consecutiveFailureThreshold: 5 });
 * breakers.events.on('circuit_opened', ({ modelId, reason }) => log.warn(`${modelId} cools down: ${reason}`));
 * const answer = await withFallback(selected, generate, { circuitBreakers: breakers, recordOutcome });
 * ```
 * @throws {InvalidArgumentError} for invalid options.
 */
export function createCircuitBreakers(options: CircuitBreakerOptions = {}): CircuitBreakers {
  const settings = resolveCircuitBreakerOptions(options, 'options');
  const events = options.events ?? new EventEmitter<CircuitBreakerEvents>();
  const breakers = new Map<string, CircuitBreaker>();

  function get(modelId: string): CircuitBreaker {
    let breaker = breakers.get(modelId);
    if (breaker === undefined) {
      if (typeof modelId !== 'string' || modelId.length === 0) {
        throw new InvalidArgumentError({
          argument: 'modelId',
          value: modelId,
          message: 'must be a non-empty string',
        });
      }
      breaker = setUpCircuitBreaker(modelId, settings, events);
      breakers.set(modelId, breaker);
    }
    return breaker;
  }

  return {
    get,
    state: (modelId) => breakers.get(modelId)?.state() ?? 'closed',
    snapshots: () => [...breakers.values()].map((breaker) => breaker.snapshot()),
    reset(modelId) {
      if (modelId === undefined) for (const breaker of breakers.values()) breaker.reset();
      else breakers.get(modelId)?.reset();
    },
    events,
  };
}
