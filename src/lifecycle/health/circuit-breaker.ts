import { EventEmitter } from 'eventemitter3';
import { InvalidArgumentError } from '../../errors/invalid-argument-error.js';
import type { CircuitBreakerEvents, CircuitOpenReason } from './circuit-breaker-events.js';
import {
  type CircuitBreakerOptions,
  type CircuitBreakerSettings,
  resolveCircuitBreakerOptions,
} from './circuit-breaker-options.js';
import type { CircuitSnapshot, CircuitState } from './circuit-state.js';
import { rollingWindow } from './rolling-window.js';

/**
 * Leave to call a model once, given by {@link CircuitBreaker.tryAttempt}. Report how the call
 * ended with exactly one of its methods; later calls are ignored.
 */
export interface CircuitPermit {
  /** Whether this call is a probe: the circuit is half-open, or the call was forced through an open circuit. */
  readonly probe: boolean;
  /** The call succeeded. */
  recordSuccess(): void;
  /** The call failed (threw, timed out, returned a failure); `error` is reported in `circuit_opened`. */
  recordFailure(error?: unknown): void;
  /** The call ended without saying anything about the model (e.g. the caller aborted it): frees its probe slot. */
  release(): void;
}

/** Options of {@link CircuitBreaker.tryAttempt}. */
export interface CircuitAttemptOptions {
  /**
   * Give a permit even when the circuit is open or every probe slot is taken. The call counts as
   * a probe: its success closes the circuit, its failure restarts the cool-down. For a last
   * resort when every model's circuit is open. @default false
   */
  readonly force?: boolean;
}

/**
 * A circuit breaker for one model: closed → (too many failures) open → (cool-down) half-open →
 * (probes succeed) closed, or back to open when a probe fails. It reads time from its clock and
 * sets no timers. Outcomes of calls that began before the circuit last changed state are ignored.
 */
export interface CircuitBreaker {
  readonly modelId: string;
  /** Where `circuit_opened`, `circuit_half_opened` and `circuit_closed` go. */
  readonly events: EventEmitter<CircuitBreakerEvents>;
  /** The state now (an open circuit whose cool-down has passed becomes half-open on this look). */
  state(): CircuitState;
  /** What the breaker knows now (this look may move an open circuit to half-open). */
  snapshot(): CircuitSnapshot;
  /**
   * Asks to call the model. Returns a permit when the circuit is closed or half-open with a free
   * probe slot (or with `force`); `undefined` when the call should be skipped.
   */
  tryAttempt(options?: CircuitAttemptOptions): CircuitPermit | undefined;
  /** Closes the circuit and forgets the failures counted. */
  reset(): void;
}

/** Options of {@link circuitBreaker}: the breaker's settings and the model it guards. */
export interface SingleCircuitBreakerOptions extends CircuitBreakerOptions {
  /** The model the breaker guards (named in its events). */
  readonly modelId: string;
}

/**
 * Creates a {@link CircuitBreaker} for one model. To guard many models with the same settings
 * and one emitter, use {@link createCircuitBreakers}.
 *
 * @example
 * ```ts
 * const breaker = circuitBreaker({ modelId: 'llama3', coolDownMs: 10_000 });
 * const permit = breaker.tryAttempt();
 * if (permit) {
 *   try { await callModel(); permit.recordSuccess(); } catch (error) { permit.recordFailure(error); }
 * }
 * ```
 * @throws {InvalidArgumentError} for invalid options or an empty `modelId`.
 */
export function circuitBreaker(options: SingleCircuitBreakerOptions): CircuitBreaker {
  const settings = resolveCircuitBreakerOptions(options, 'options', ['modelId']);
  const { modelId } = options;
  if (typeof modelId !== 'string' || modelId.length === 0) {
    throw new InvalidArgumentError({
      argument: 'options.modelId',
      value: modelId,
      message: 'must be a non-empty string',
    });
  }
  return setUpCircuitBreaker(modelId, settings, options.events ?? new EventEmitter<CircuitBreakerEvents>());
}

type PermitKind = 'call' | 'probe' | 'forced';

/** Builds a breaker from validated settings, emitting on `events`. @internal */
export function setUpCircuitBreaker(
  modelId: string,
  settings: CircuitBreakerSettings,
  events: EventEmitter<CircuitBreakerEvents>,
): CircuitBreaker {
  const { clock } = settings;
  const window = rollingWindow(settings.rollingWindowMs);
  let state: CircuitState = 'closed';
  /** Changes whenever the circuit opens or closes: permits from an earlier epoch are stale. */
  let epoch = 0;
  let consecutiveFailures = 0;
  let openedAt: number | undefined;
  let probesInFlight = 0;
  let probeSuccesses = 0;

  /** Moves an open circuit whose cool-down has passed to half-open. */
  function refresh(): void {
    if (state !== 'open' || openedAt === undefined) return;
    const now = clock.now();
    if (now < openedAt + settings.coolDownMs) return;
    state = 'half-open';
    if (events.listenerCount('circuit_half_opened') > 0) {
      events.emit('circuit_half_opened', { modelId, reason: 'cool-down-elapsed', openForMs: now - openedAt });
    }
  }

  function open(reason: CircuitOpenReason, error: unknown): void {
    const now = clock.now();
    const { calls, failures } = window.totals(now);
    state = 'open';
    epoch++;
    openedAt = now;
    probesInFlight = 0;
    probeSuccesses = 0;
    if (events.listenerCount('circuit_opened') > 0) {
      events.emit('circuit_opened', {
        modelId,
        reason,
        consecutiveFailures,
        calls,
        failures,
        error: error === undefined ? undefined : error instanceof Error ? error.message : String(error),
        halfOpensAt: now + settings.coolDownMs,
      });
    }
  }

  function close(reason: 'probe-succeeded' | 'reset'): void {
    state = 'closed';
    epoch++;
    consecutiveFailures = 0;
    probesInFlight = 0;
    probeSuccesses = 0;
    window.clear();
    if (events.listenerCount('circuit_closed') > 0) {
      events.emit('circuit_closed', { modelId, reason, openForMs: clock.now() - (openedAt ?? clock.now()) });
    }
  }

  function succeeded(kind: PermitKind): void {
    if (kind === 'call') {
      consecutiveFailures = 0;
      window.add(clock.now(), false);
      return;
    }
    if (kind === 'probe') {
      probesInFlight--;
      probeSuccesses++;
      if (probeSuccesses < settings.halfOpenProbes) return;
    }
    close('probe-succeeded');
  }

  function failed(kind: PermitKind, error: unknown): void {
    if (kind !== 'call') {
      open('probe-failed', error);
      return;
    }
    consecutiveFailures++;
    const now = clock.now();
    window.add(now, true);
    if (consecutiveFailures >= settings.consecutiveFailureThreshold) {
      open('consecutive-failures', error);
      return;
    }
    const { calls, failures } = window.totals(now);
    if (calls >= settings.minimumCalls && failures / calls >= settings.failureRateThreshold) {
      open('failure-rate', error);
    }
  }

  function permit(kind: PermitKind): CircuitPermit {
    const issuedIn = epoch;
    let settled = false;
    /** Whether the permit's outcome still says something about the current state. */
    const current = (): boolean => {
      if (settled) return false;
      settled = true;
      if (issuedIn !== epoch) return false;
      if (kind === 'call') return state === 'closed';
      if (kind === 'probe') return state === 'half-open';
      return state !== 'closed';
    };
    return {
      probe: kind !== 'call',
      recordSuccess: () => {
        if (current()) succeeded(kind);
      },
      recordFailure: (error?: unknown) => {
        if (current()) failed(kind, error);
      },
      release: () => {
        if (current() && kind === 'probe') probesInFlight--;
      },
    };
  }

  function snapshot(): CircuitSnapshot {
    refresh();
    const { calls, failures } = window.totals(clock.now());
    return {
      modelId,
      state,
      consecutiveFailures,
      calls,
      failures,
      openedAt,
      halfOpensAt: state === 'open' && openedAt !== undefined ? openedAt + settings.coolDownMs : undefined,
    };
  }

  return {
    modelId,
    events,
    state() {
      refresh();
      return state;
    },
    snapshot,
    tryAttempt(options = {}) {
      refresh();
      if (state === 'closed') return permit('call');
      if (state === 'half-open' && probesInFlight + probeSuccesses < settings.halfOpenProbes) {
        probesInFlight++;
        return permit('probe');
      }
      return options.force === true ? permit('forced') : undefined;
    },
    reset() {
      if (state === 'closed') {
        consecutiveFailures = 0;
        window.clear();
        epoch++;
      } else {
        close('reset');
      }
    },
  };
}
