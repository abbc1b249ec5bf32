import { describe, expect, test } from 'vitest';
import { manualClock } from '../clock/manual-clock.js';
import { createDebouncer } from './debounce.js';

describe('createDebouncer', () => {
  test('runs once, delayMs after the last trigger, on the injected clock', () => {
    const clock = manualClock();
    let runs = 0;
    const debouncer = createDebouncer(clock, 100, () => runs++);
    debouncer.trigger();
    clock.advance(60);
    debouncer.trigger(); // restarts the wait
    clock.advance(60);
    expect(runs).toBe(0);
    expect(debouncer.pending()).toBe(true);
    clock.advance(40);
    expect(runs).toBe(1);
    expect(debouncer.pending()).toBe(false);
    expect(clock.pendingTimers()).toBe(0);
  });

  test('cancel drops a pending run', () => {
    const clock = manualClock();
    let runs = 0;
    const debouncer = createDebouncer(clock, 10, () => runs++);
    debouncer.trigger();
    debouncer.cancel();
    clock.advance(100);
    expect(runs).toBe(0);
    expect(clock.pendingTimers()).toBe(0);
  });
});
