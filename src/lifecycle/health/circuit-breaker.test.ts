import { EventEmitter } from 'eventemitter3';
import { describe, expect, test } from 'vitest';
import { manualClock } from '../../clock/manual-clock.js';
import { InvalidArgumentError } from '../../errors/invalid-argument-error.js';
import { circuitBreaker } from './circuit-breaker.js';
import type { CircuitBreakerEvents } from './circuit-breaker-events.js';
import { CIRCUIT_BREAKER_DEFAULTS } from './circuit-breaker-options.js';
import { createCircuitBreakers } from './circuit-breakers.js';

function recorded(events: EventEmitter<CircuitBreakerEvents>): string[] {
  const log: string[] = [];
  events.on('circuit_opened', (event) => log.push(`opened ${event.modelId} ${event.reason}`));
  events.on('circuit_half_opened', (event) => log.push(`half-opened ${event.modelId} ${event.reason}`));
  events.on('circuit_closed', (event) => log.push(`closed ${event.modelId} ${event.reason}`));
  return log;
}

function fail(
  breaker: ReturnType<typeof circuitBreaker>,
  times: number,
  error: unknown = new Error('down'),
): void {
  for (let index = 0; index < times; index++) breaker.tryAttempt()?.recordFailure(error);
}

describe('circuitBreaker', () => {
  test('defaults are frozen and documented values', () => {
    expect(Object.isFrozen(CIRCUIT_BREAKER_DEFAULTS)).toBe(true);
    expect(CIRCUIT_BREAKER_DEFAULTS).toEqual({
      consecutiveFailureThreshold: 3,
      failureRateThreshold: 0.5,
      rollingWindowMs: 60_000,
      minimumCalls: 10,
      coolDownMs: 5_000,
      halfOpenProbes: 1,
    });
  });

  test('closed → open after 3 failures in a row → half-open after the cool-down → closed by a probe', () => {
    const clock = manualClock(1_000);
    const breaker = circuitBreaker({ modelId: 'm', clock });
    const log = recorded(breaker.events);
    const opened: unknown[] = [];
    breaker.events.on('circuit_opened', (event) => opened.push(event));
    fail(breaker, 2);
    breaker.tryAttempt()?.recordSuccess();
    fail(breaker, 2);
    expect(breaker.state()).toBe('closed');
    fail(breaker, 1, new Error('out of memory'));
    expect(breaker.state()).toBe('open');
    expect(opened).toEqual([
      {
        modelId: 'm',
        reason: 'consecutive-failures',
        consecutiveFailures: 3,
        calls: 6,
        failures: 5,
        error: 'out of memory',
        halfOpensAt: 6_000,
      },
    ]);
    expect(breaker.tryAttempt()).toBeUndefined();
    clock.advance(4_999);
    expect(breaker.state()).toBe('open');
    expect(breaker.snapshot().halfOpensAt).toBe(6_000);
    clock.advance(1);
    const probe = breaker.tryAttempt();
    expect(probe?.probe).toBe(true);
    expect(breaker.state()).toBe('half-open');
    // One probe at a time (halfOpenProbes 1): other callers are refused until it ends.
    expect(breaker.tryAttempt()).toBeUndefined();
    probe?.recordSuccess();
    expect(breaker.state()).toBe('closed');
    expect(breaker.snapshot()).toMatchObject({ consecutiveFailures: 0, calls: 0, openedAt: 1_000 });
    expect(log).toEqual([
      'opened m consecutive-failures',
      'half-opened m cool-down-elapsed',
      'closed m probe-succeeded',
    ]);
  });

  test('a failed probe re-opens the circuit for another cool-down', () => {
    const clock = manualClock();
    const breaker = circuitBreaker({ modelId: 'm', clock, coolDownMs: 100 });
    const log = recorded(breaker.events);
    fail(breaker, 3);
    clock.advance(100);
    breaker.tryAttempt()?.recordFailure('still down');
    expect(breaker.state()).toBe('open');
    expect(breaker.snapshot().halfOpensAt).toBe(200);
    clock.advance(100);
    expect(breaker.state()).toBe('half-open');
    expect(log).toEqual([
      'opened m consecutive-failures',
      'half-opened m cool-down-elapsed',
      'opened m probe-failed',
      'half-opened m cool-down-elapsed',
    ]);
  });

  test('the failure rate over the rolling window opens the circuit once the window holds enough calls', () => {
    const clock = manualClock();
    const breaker = circuitBreaker({ modelId: 'm', clock, minimumCalls: 6, rollingWindowMs: 10_000 });
    const log = recorded(breaker.events);
    // Alternating failures never reach 3 in a row, but 3 of 6 is the 0.5 rate.
    for (let index = 0; index < 5; index++) {
      const permit = breaker.tryAttempt();
      if (index % 2 === 0) permit?.recordFailure();
      else permit?.recordSuccess();
      clock.advance(100);
    }
    expect(breaker.state()).toBe('closed');
    expect(breaker.snapshot()).toMatchObject({ calls: 5, failures: 3 });
    breaker.tryAttempt()?.recordSuccess();
    expect(breaker.state()).toBe('closed');
    breaker.tryAttempt()?.recordFailure();
    expect(breaker.state()).toBe('open');
    expect(log).toEqual(['opened m failure-rate']);
  });

  test('calls leave the rolling window as time passes', () => {
    const clock = manualClock();
    const breaker = circuitBreaker({
      modelId: 'm',
      clock,
      minimumCalls: 4,
      rollingWindowMs: 1_000,
      consecutiveFailureThreshold: Number.POSITIVE_INFINITY,
    });
    fail(breaker, 3);
    expect(breaker.snapshot()).toMatchObject({ calls: 3, failures: 3 });
    clock.advance(1_100);
    expect(breaker.snapshot()).toMatchObject({ calls: 0, failures: 0 });
    for (let index = 0; index < 3; index++) breaker.tryAttempt()?.recordSuccess();
    // 1 failure of 4 calls; with the expired failures it would have been 4 of 7.
    fail(breaker, 1);
    expect(breaker.state()).toBe('closed');
  });

  test('several probes: all must succeed to close; a released probe frees its slot', () => {
    const clock = manualClock();
    const breaker = circuitBreaker({ modelId: 'm', clock, halfOpenProbes: 2, coolDownMs: 10 });
    fail(breaker, 3);
    clock.advance(10);
    const first = breaker.tryAttempt();
    const second = breaker.tryAttempt();
    expect(breaker.tryAttempt()).toBeUndefined();
    second?.release();
    const third = breaker.tryAttempt();
    expect(third).toBeDefined();
    first?.recordSuccess();
    expect(breaker.state()).toBe('half-open');
    third?.recordSuccess();
    third?.recordFailure();
    expect(breaker.state()).toBe('closed');
  });

  test('outcomes of calls that began before the circuit changed state are ignored', () => {
    const clock = manualClock();
    const breaker = circuitBreaker({ modelId: 'm', clock, coolDownMs: 10 });
    const slow = breaker.tryAttempt();
    fail(breaker, 3);
    slow?.recordSuccess();
    expect(breaker.state()).toBe('open');
    clock.advance(10);
    breaker.tryAttempt()?.recordSuccess();
    const lateFailure = slow;
    lateFailure?.recordFailure();
    expect(breaker.state()).toBe('closed');
  });

  test('a forced attempt goes through an open circuit as a probe', () => {
    const clock = manualClock();
    const breaker = circuitBreaker({ modelId: 'm', clock });
    fail(breaker, 3);
    expect(breaker.tryAttempt()).toBeUndefined();
    const forced = breaker.tryAttempt({ force: true });
    expect(forced?.probe).toBe(true);
    forced?.recordSuccess();
    expect(breaker.state()).toBe('closed');
    fail(breaker, 3);
    clock.advance(1_000);
    breaker.tryAttempt({ force: true })?.recordFailure();
    expect(breaker.snapshot()).toMatchObject({ state: 'open', openedAt: 1_000, halfOpensAt: 6_000 });
  });

  test('reset closes an open circuit and forgets the counts', () => {
    const clock = manualClock();
    const breaker = circuitBreaker({ modelId: 'm', clock });
    const log = recorded(breaker.events);
    fail(breaker, 3);
    breaker.reset();
    expect(breaker.state()).toBe('closed');
    fail(breaker, 2);
    breaker.reset();
    fail(breaker, 2);
    expect(breaker.state()).toBe('closed');
    expect(log).toEqual(['opened m consecutive-failures', 'closed m reset']);
  });

  test('Infinity turns a rule off', () => {
    const breaker = circuitBreaker({
      modelId: 'm',
      clock: manualClock(),
      consecutiveFailureThreshold: Number.POSITIVE_INFINITY,
      minimumCalls: Number.POSITIVE_INFINITY,
    });
    fail(breaker, 100);
    expect(breaker.state()).toBe('closed');
  });

  test('invalid options are rejected', () => {
    for (const options of [
      { modelId: '' },
      { modelId: 'm', consecutiveFailureThreshold: 0 },
      { modelId: 'm', failureRateThreshold: 0 },
      { modelId: 'm', failureRateThreshold: 1.5 },
      { modelId: 'm', rollingWindowMs: 0 },
      { modelId: 'm', minimumCalls: 1.5 },
      { modelId: 'm', coolDownMs: -1 },
      { modelId: 'm', halfOpenProbes: 0 },
      { modelId: 'm', clock: {} },
      { modelId: 'm', coolDown: 5 },
    ]) {
      let caught: unknown;
      try {
        circuitBreaker(options as never);
      } catch (error) {
        caught = error;
      }
      expect(InvalidArgumentError.isInstance(caught), JSON.stringify(options)).toBe(true);
    }
  });
});

describe('createCircuitBreakers', () => {
  test('one breaker per model, shared settings and emitter; state, snapshots and reset', () => {
    const clock = manualClock();
    const events = new EventEmitter<CircuitBreakerEvents>();
    const breakers = createCircuitBreakers({ clock, events, consecutiveFailureThreshold: 1 });
    expect(breakers.events).toBe(events);
    const log = recorded(events);
    expect(breakers.state('a')).toBe('closed');
    expect(breakers.snapshots()).toEqual([]);
    breakers.get('a').tryAttempt()?.recordFailure();
    breakers.get('b').tryAttempt()?.recordSuccess();
    expect(breakers.get('a')).toBe(breakers.get('a'));
    expect(breakers.state('a')).toBe('open');
    expect(breakers.snapshots().map(({ modelId, state }) => `${modelId}:${state}`)).toEqual([
      'a:open',
      'b:closed',
    ]);
    breakers.get('b').tryAttempt()?.recordFailure();
    breakers.reset('a');
    expect(breakers.state('a')).toBe('closed');
    breakers.reset();
    expect(breakers.state('b')).toBe('closed');
    expect(log).toEqual([
      'opened a consecutive-failures',
      'opened b consecutive-failures',
      'closed a reset',
      'closed b reset',
    ]);
    expect(() => breakers.get('')).toThrow(InvalidArgumentError);
  });
});
