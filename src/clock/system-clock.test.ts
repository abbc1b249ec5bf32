import { afterEach, describe, expect, test, vi } from 'vitest';
import { InvalidArgumentError } from '../errors/invalid-argument-error.js';
import { systemClock } from './clock.js';
import { LONGEST_TIMER_MS } from './longest-timer.js';

afterEach(() => {
  vi.useRealTimers();
});

describe('systemClock', () => {
  test('reads Date.now', () => {
    const before = Date.now();
    const now = systemClock.now();
    expect(now).toBeGreaterThanOrEqual(before);
    expect(now).toBeLessThanOrEqual(Date.now());
  });

  test('fires a real timer that does not keep the process alive', async () => {
    let handle: ReturnType<typeof systemClock.setTimer> | undefined;
    const fired = new Promise<number>((resolve) => {
      handle = systemClock.setTimer(() => resolve(systemClock.now()), 1);
    });
    expect(handle?.hasRef()).toBe(false);
    expect(await fired).toBeGreaterThan(0);
    expect(handle?.hasRef()).toBe(false);
  });

  test('a cancelled timer never fires', () => {
    vi.useFakeTimers();
    let fired = 0;
    const handle = systemClock.setTimer(() => fired++, 100);
    handle.cancel();
    vi.advanceTimersByTime(1_000);
    expect(fired).toBe(0);
    expect(vi.getTimerCount()).toBe(0);
  });

  test('delays longer than a Node timer holds are re-armed, not fired after 1 ms; Infinity arms nothing', () => {
    vi.useFakeTimers();
    let fired = 0;
    const handle = systemClock.setTimer(() => fired++, LONGEST_TIMER_MS + 5_000);
    vi.advanceTimersByTime(LONGEST_TIMER_MS);
    expect(fired).toBe(0);
    expect(handle.hasRef()).toBe(false);
    vi.advanceTimersByTime(4_999);
    expect(fired).toBe(0);
    vi.advanceTimersByTime(1);
    expect(fired).toBe(1);
    systemClock.setTimer(() => fired++, Number.POSITIVE_INFINITY);
    expect(vi.getTimerCount()).toBe(0);
  });

  test('rejects a NaN delay', () => {
    let caught: unknown;
    try {
      systemClock.setTimer(() => {}, Number.NaN);
    } catch (error) {
      caught = error;
    }
    expect(InvalidArgumentError.isInstance(caught)).toBe(true);
  });
});
