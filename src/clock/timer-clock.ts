import { InvalidArgumentError } from '../errors/invalid-argument-error.js';
import type { Clock } from './clock.js';

/** A callback scheduled on a {@link TimerClock}; cancel it with `cancel()`. */
export interface TimerHandle {
  /** Cancels the timer. Does nothing when it already fired or was cancelled. */
  cancel(): void;
  /**
   * Whether the timer keeps a Node process alive. Always `false` for modelscout's clocks: a
   * pending schedule or timeout never stops a host from exiting.
   */
  hasRef(): boolean;
}

/**
 * A {@link Clock} that can also run a callback once its time has come. Timeouts, circuit
 * breakers and schedules read and wait on one of these, so tests can drive them with
 * {@link manualClock} instead of waiting for real time.
 *
 * Implementations: {@link systemClock} (real timers, unref'd) and {@link manualClock} (timers
 * fire when the clock is moved).
 */
export interface TimerClock extends Clock {
  /**
   * Runs `callback` once, `delayMs` milliseconds from now on this clock. A negative delay counts
   * as 0; `Infinity` never fires. Throws an `InvalidArgumentError` for a delay that is NaN or not a number.
   */
  setTimer(callback: () => void, delayMs: number): TimerHandle;
}

/** Whether `clock` can schedule timers (has a `setTimer` method). */
export function isTimerClock(clock: Clock): clock is TimerClock {
  return typeof (clock as Partial<TimerClock>).setTimer === 'function';
}

/**
 * Validates the arguments of `setTimer` and returns the delay to use (negative delays become 0).
 * @internal
 */
export function timerDelay(callback: unknown, delayMs: unknown): number {
  if (typeof callback !== 'function') {
    throw new InvalidArgumentError({ argument: 'callback', value: callback, message: 'must be a function' });
  }
  if (typeof delayMs !== 'number' || Number.isNaN(delayMs)) {
    throw new InvalidArgumentError({ argument: 'delayMs', value: delayMs, message: 'must be a number' });
  }
  return Math.max(0, delayMs);
}
