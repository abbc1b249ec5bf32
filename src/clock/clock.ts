import { setSystemTimer } from './system-timer.js';
import type { TimerClock } from './timer-clock.js';

/**
 * A source of the current time in milliseconds since the Unix epoch. Everything in modelscout
 * that depends on time (decay, retention, schedules, circuit breakers) reads it from a `Clock`,
 * so tests can drive time by hand. Parts that also wait (timeouts, schedules) take a
 * {@link TimerClock}.
 */
export interface Clock {
  /** Milliseconds since the Unix epoch. */
  now(): number;
}

/**
 * The real clock: `Date.now`, and real timers (`setTimeout`, unref'd so they never keep the
 * process alive; delays longer than a Node timer holds are re-armed).
 */
export const systemClock: TimerClock = { now: () => Date.now(), setTimer: setSystemTimer };
