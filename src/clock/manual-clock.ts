import { InvalidArgumentError } from '../errors/invalid-argument-error.js';
import type { Clock } from './clock.js';

/** A clock that only moves when told to: for tests and simulations. */
export interface ManualClock extends Clock {
  /** Moves the clock forward by `milliseconds` (≥ 0). */
  advance(milliseconds: number): void;
  /** Sets the clock to `time` (which may not go backwards). */
  set(time: number): void;
}

/** Creates a {@link ManualClock} starting at `start` milliseconds. @param start - @default 0 */
export function manualClock(start = 0): ManualClock {
  let time = start;
  return {
    now: () => time,
    advance(milliseconds) {
      if (!(milliseconds >= 0) || !Number.isFinite(milliseconds)) {
        throw new InvalidArgumentError({
          argument: 'milliseconds',
          value: milliseconds,
          message: 'must be a finite number ≥ 0',
        });
      }
      time += milliseconds;
    },
    set(next) {
      if (!Number.isFinite(next) || next < time) {
        throw new InvalidArgumentError({
          argument: 'time',
          value: next,
          message: `must be finite and ≥ the current time ${time}`,
        });
      }
      time = next;
    },
  };
}
