import { describe, expect, test } from 'vitest';
import { attemptSignal } from './attempt-signal.js';

describe('attemptSignal', () => {
  test('a parent abort passes its reason on and is not a timeout', () => {
    const parent = new AbortController();
    const other = new AbortController();
    const attempt = attemptSignal(60_000, parent.signal, undefined, other.signal);
    other.abort('stop');
    expect(attempt.signal.aborted).toBe(true);
    expect(attempt.signal.reason).toBe('stop');
    expect(attempt.timedOut()).toBe(false);
    attempt.release();
  });

  test('the timeout aborts and says so', async () => {
    const attempt = attemptSignal(1);
    await new Promise((resolve) => attempt.signal.addEventListener('abort', resolve, { once: true }));
    expect(attempt.timedOut()).toBe(true);
    attempt.release();
  });

  test('release detaches from the parents; abort() is idempotent', () => {
    const parent = new AbortController();
    const attempt = attemptSignal(Number.POSITIVE_INFINITY, parent.signal);
    attempt.release();
    parent.abort('late');
    expect(attempt.signal.aborted).toBe(false);
    attempt.abort();
    attempt.abort();
    expect(attempt.signal.aborted).toBe(true);
    expect(attempt.timedOut()).toBe(false);
  });
});
