import { describe, expect, test } from 'vitest';
import { type ManualClock, manualClock } from '../../clock/manual-clock.js';
import type { ModelCandidate } from '../../core/model-candidate.js';
import { type FallbackAttempt, FallbackExhaustedError } from '../../errors/fallback-exhausted-error.js';
import { InvalidArgumentError } from '../../errors/invalid-argument-error.js';
import type { Outcome } from '../../scout.js';
import { createCircuitBreakers } from './circuit-breakers.js';
import { FALLBACK_DEFAULTS } from './fallback-options.js';
import { runWithFallback, withFallback } from './with-fallback.js';

const chain = (...ids: string[]) => ({
  primary: { id: ids[0]! },
  fallbacks: ids.slice(1).map((id) => ({ id })),
});

/** Resolves `value` after `milliseconds` on `clock`. */
function resolveAfter<Value>(clock: ManualClock, milliseconds: number, value: Value): Promise<Value> {
  return new Promise((resolve) => {
    clock.setTimer(() => resolve(value), milliseconds);
  });
}

/** Rejects with `error` after `milliseconds` on `clock`. */
function failAfter(clock: ManualClock, milliseconds: number, error: Error): Promise<never> {
  return new Promise((_resolve, reject) => {
    clock.setTimer(() => reject(error), milliseconds);
  });
}

function recorder(): { outcomes: Outcome[]; recordOutcome: (outcome: Outcome) => Promise<void> } {
  const outcomes: Outcome[] = [];
  return {
    outcomes,
    recordOutcome: async (outcome) => {
      outcomes.push(outcome);
    },
  };
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}

describe('withFallback', () => {
  test('defaults are frozen', () => {
    expect(Object.isFrozen(FALLBACK_DEFAULTS)).toBe(true);
    expect(FALLBACK_DEFAULTS).toEqual({ timeoutMs: 30_000, allCircuitsOpen: 'fail' });
  });

  test('the primary serves: its result, its outcome with the latency measured on the clock', async () => {
    const clock = manualClock();
    const { outcomes, recordOutcome } = recorder();
    const pending = runWithFallback(chain('a', 'b'), () => resolveAfter(clock, 120, 'answer'), {
      clock,
      recordOutcome,
      context: { tier: 'free' },
    });
    await clock.advanceAsync(120);
    const served = await pending;
    expect(served.result).toBe('answer');
    expect(served.candidate.id).toBe('a');
    expect(served.attempts).toEqual([
      { modelId: 'a', status: 'succeeded', latencyMs: 120, error: undefined },
    ]);
    expect(outcomes).toEqual([{ modelId: 'a', success: true, latencyMs: 120, context: { tier: 'free' } }]);
    expect(clock.pendingTimers()).toBe(0);
  });

  test('moves down the chain in order, recording every outcome; isFailure classifies returned failures', async () => {
    const clock = manualClock();
    const { outcomes, recordOutcome } = recorder();
    const calls: string[] = [];
    const seen: FallbackAttempt[] = [];
    const pending = runWithFallback(
      chain('a', 'b', 'c', 'd'),
      (candidate: ModelCandidate, { attempt, signal }) => {
        calls.push(`${candidate.id}#${attempt}`);
        expect(signal.aborted).toBe(false);
        if (candidate.id === 'a') return failAfter(clock, 10, new Error('a crashed'));
        if (candidate.id === 'b') return resolveAfter(clock, 20, { ok: false, by: 'b' });
        return resolveAfter(clock, 30, { ok: true, by: candidate.id });
      },
      { clock, recordOutcome, isFailure: (result) => !result.ok, onAttempt: (attempt) => seen.push(attempt) },
    );
    await clock.advanceAsync(60);
    const served = await pending;
    expect(served.result).toEqual({ ok: true, by: 'c' });
    expect(calls).toEqual(['a#0', 'b#1', 'c#2']);
    expect(served.attempts.map(({ modelId, status, latencyMs }) => [modelId, status, latencyMs])).toEqual([
      ['a', 'failed', 10],
      ['b', 'failure-result', 20],
      ['c', 'succeeded', 30],
    ]);
    expect(seen).toEqual(served.attempts);
    expect(outcomes).toEqual([
      { modelId: 'a', success: false, latencyMs: 10, error: new Error('a crashed') },
      {
        modelId: 'b',
        success: false,
        latencyMs: 20,
        error: 'returned a result classified as a failure by isFailure',
      },
      { modelId: 'c', success: true, latencyMs: 30 },
    ]);
  });

  test('a hung primary is aborted at its timeout and the fallback serves', async () => {
    const clock = manualClock();
    const { outcomes, recordOutcome } = recorder();
    let primarySignal: AbortSignal | undefined;
    const pending = withFallback(
      chain('hung', 'backup'),
      (candidate, { signal }) => {
        if (candidate.id === 'backup') return 'from backup';
        primarySignal = signal;
        return new Promise<string>(() => {});
      },
      { clock, recordOutcome, timeoutMs: 1_000 },
    );
    await clock.advanceAsync(999);
    expect(primarySignal?.aborted).toBe(false);
    await clock.advanceAsync(1);
    expect(await pending).toBe('from backup');
    expect(primarySignal?.aborted).toBe(true);
    expect((primarySignal!.reason as DOMException).name).toBe('TimeoutError');
    expect(outcomes.map(({ modelId, success, latencyMs }) => [modelId, success, latencyMs])).toEqual([
      ['hung', false, 1_000],
      ['backup', true, 0],
    ]);
    expect((outcomes[0]!.error as DOMException).name).toBe('TimeoutError');
    expect((outcomes[0]!.error as Error).message).toBe("Model 'hung' timed out after 1000 ms");
  });

  test('when every model fails: a FallbackExhaustedError with each attempt, synchronous throws included', async () => {
    const clock = manualClock();
    const { outcomes, recordOutcome } = recorder();
    const error = await rejection(
      withFallback(
        chain('a', 'b', 'a'),
        (candidate) => {
          throw new Error(`${candidate.id} failed with hf_secret123456`);
        },
        { clock, recordOutcome },
      ),
    );
    expect(FallbackExhaustedError.isInstance(error)).toBe(true);
    const exhausted = error as FallbackExhaustedError;
    expect(exhausted.attempts.map(({ modelId, status }) => `${modelId}:${status}`)).toEqual([
      'a:failed',
      'b:failed',
    ]);
    expect((exhausted.attempts[1]!.error as Error).message).toBe('b failed with hf_secret123456');
    expect(exhausted.message).toContain('a (failed: a failed with [redacted])');
    expect(exhausted.retryAfterMs).toBeUndefined();
    expect(exhausted.cause).toBe(exhausted.attempts[1]!.error);
    expect(outcomes).toHaveLength(2);
  });

  test('open circuits are skipped; every call is reported to its breaker', async () => {
    const clock = manualClock();
    const breakers = createCircuitBreakers({ clock, consecutiveFailureThreshold: 1 });
    breakers.get('a').tryAttempt()?.recordFailure(new Error('down'));
    const { outcomes, recordOutcome } = recorder();
    const called: string[] = [];
    const served = await runWithFallback(
      chain('a', 'b', 'c'),
      (candidate) => {
        called.push(candidate.id);
        if (candidate.id === 'b') throw new Error('b down');
        return candidate.id;
      },
      { clock, recordOutcome, circuitBreakers: breakers },
    );
    expect(served.result).toBe('c');
    expect(called).toEqual(['b', 'c']);
    expect(served.attempts.map(({ modelId, status }) => `${modelId}:${status}`)).toEqual([
      'a:circuit-open',
      'b:failed',
      'c:succeeded',
    ]);
    expect(outcomes.map((outcome) => outcome.modelId)).toEqual(['b', 'c']);
    expect(breakers.state('b')).toBe('open');
    expect(breakers.state('c')).toBe('closed');
  });

  test("every circuit open: 'fail' rejects at once with retryAfterMs", async () => {
    const clock = manualClock();
    const breakers = createCircuitBreakers({ clock, consecutiveFailureThreshold: 1, coolDownMs: 5_000 });
    breakers.get('a').tryAttempt()?.recordFailure();
    clock.advance(2_000);
    breakers.get('b').tryAttempt()?.recordFailure();
    let called = 0;
    const error = await rejection(
      withFallback(chain('a', 'b'), () => called++, { clock, circuitBreakers: breakers }),
    );
    expect(called).toBe(0);
    expect(FallbackExhaustedError.isInstance(error)).toBe(true);
    const exhausted = error as FallbackExhaustedError;
    expect(exhausted.attempts.map(({ status }) => status)).toEqual(['circuit-open', 'circuit-open']);
    expect(exhausted.retryAfterMs).toBe(3_000);
  });

  test("every circuit open: 'try-least-recently-opened' probes the circuit that opened first", async () => {
    const clock = manualClock();
    const breakers = createCircuitBreakers({ clock, consecutiveFailureThreshold: 1 });
    breakers.get('b').tryAttempt()?.recordFailure();
    clock.advance(1_000);
    breakers.get('a').tryAttempt()?.recordFailure();
    const { outcomes, recordOutcome } = recorder();
    const served = await runWithFallback(chain('a', 'b'), (candidate) => `${candidate.id} answered`, {
      clock,
      recordOutcome,
      circuitBreakers: breakers,
      allCircuitsOpen: 'try-least-recently-opened',
    });
    expect(served.result).toBe('b answered');
    expect(served.attempts.map(({ modelId, status }) => `${modelId}:${status}`)).toEqual([
      'a:circuit-open',
      'b:circuit-open',
      'b:succeeded',
    ]);
    expect(outcomes).toEqual([{ modelId: 'b', success: true, latencyMs: 0 }]);
    expect(breakers.state('b')).toBe('closed');
    expect(breakers.state('a')).toBe('open');
    // A failed last resort restarts its cool-down and the chain is exhausted.
    clock.advance(1_000);
    const error = await rejection(
      withFallback(
        chain('a'),
        () => {
          throw new Error('still down');
        },
        { clock, circuitBreakers: breakers, allCircuitsOpen: 'try-least-recently-opened' },
      ),
    );
    expect((error as FallbackExhaustedError).attempts.map(({ status }) => status)).toEqual([
      'circuit-open',
      'failed',
    ]);
    expect((error as FallbackExhaustedError).retryAfterMs).toBe(5_000);
  });

  test('the outer signal aborts the current call and rejects with its reason; nothing is recorded for it', async () => {
    const clock = manualClock();
    const breakers = createCircuitBreakers({ clock, consecutiveFailureThreshold: 1, coolDownMs: 10 });
    breakers.get('a').tryAttempt()?.recordFailure();
    clock.advance(10);
    const { outcomes, recordOutcome } = recorder();
    const controller = new AbortController();
    let callSignal: AbortSignal | undefined;
    const pending = withFallback(
      chain('a', 'b'),
      (_candidate, { signal }) => {
        callSignal = signal;
        return resolveAfter(clock, 100, 'late');
      },
      { clock, recordOutcome, circuitBreakers: breakers, signal: controller.signal },
    );
    await clock.advanceAsync(50);
    const reason = new Error('user left');
    controller.abort(reason);
    expect(await rejection(pending)).toBe(reason);
    expect(callSignal?.reason).toBe(reason);
    expect(outcomes).toEqual([]);
    // The half-open probe slot the aborted call held is free again.
    expect(breakers.get('a').tryAttempt()?.probe).toBe(true);
    let called = false;
    const aborted = AbortSignal.abort(reason);
    expect(
      await rejection(
        withFallback(
          chain('a'),
          () => {
            called = true;
          },
          { clock, signal: aborted },
        ),
      ),
    ).toBe(reason);
    expect(called).toBe(false);
  });

  test('a failing recorder rejects the chain', async () => {
    const error = await rejection(
      withFallback(chain('a'), () => 'x', {
        clock: manualClock(),
        recordOutcome: () => Promise.reject(new Error('unknown arm')),
      }),
    );
    expect((error as Error).message).toBe('unknown arm');
  });

  test('invalid chains and options are rejected', async () => {
    const run = () => 'x';
    for (const [selected, options] of [
      [null, {}],
      [{ primary: { id: '' }, fallbacks: [] }, {}],
      [{ primary: { id: 'a' }, fallbacks: 'b' }, {}],
      [chain('a'), { timeoutMs: 0 }],
      [chain('a'), { allCircuitsOpen: 'wait' }],
      [chain('a'), { clock: { now: () => 0 } }],
      [chain('a'), { isFailure: true }],
      [chain('a'), { signal: 'stop' }],
      [chain('a'), { circuitBreakers: {} }],
      [chain('a'), { retries: 2 }],
    ] as const) {
      const error = await rejection(withFallback(selected as never, run, options as never));
      expect(InvalidArgumentError.isInstance(error), JSON.stringify(options)).toBe(true);
    }
    expect(InvalidArgumentError.isInstance(await rejection(withFallback(chain('a'), 'run' as never)))).toBe(
      true,
    );
  });
});
