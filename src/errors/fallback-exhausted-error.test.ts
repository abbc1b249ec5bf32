import { describe, expect, test } from 'vitest';
import { FallbackExhaustedError } from './fallback-exhausted-error.js';
import { ModelscoutError } from './modelscout-error.js';
import { RunnerError } from './runner-error.js';

describe('FallbackExhaustedError', () => {
  test('is a ModelscoutError recognized by its marker, listing every attempt in its message', () => {
    const error = new FallbackExhaustedError({
      attempts: [
        { modelId: 'a', status: 'failed', latencyMs: 12, error: new Error('Bearer abc.def crashed') },
        { modelId: 'b', status: 'timed-out', latencyMs: 1_000, error: 'timed out' },
        { modelId: 'c', status: 'failure-result', latencyMs: 5, error: undefined },
        { modelId: 'd', status: 'circuit-open', latencyMs: undefined, error: undefined },
      ],
      retryAfterMs: 2_500,
    });
    expect(ModelscoutError.isInstance(error)).toBe(true);
    expect(FallbackExhaustedError.isInstance(error)).toBe(true);
    expect(RunnerError.isInstance(error)).toBe(false);
    expect(
      FallbackExhaustedError.isInstance(
        new RunnerError({ runner: 'r', modelId: 'm', reason: 'failed', message: 'x' }),
      ),
    ).toBe(false);
    expect(error.name).toBe('FallbackExhaustedError');
    expect(error.retryAfterMs).toBe(2_500);
    expect(error.message).toBe(
      'Every model of the fallback chain failed: a (failed: Bearer [redacted] crashed); b (timed-out: timed out); c (failure-result); d (circuit-open)',
    );
  });
});
