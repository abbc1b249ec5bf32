import { InvalidArgumentError } from '../errors/invalid-argument-error.js';
import { type TimerClock, type TimerHandle, timerDelay } from './timer-clock.js';

/**
 * A clock that only moves when told to: for tests and simulations. Timers set on it fire while
 * it is moved, in the order they are due.
 */
export interface ManualClock extends TimerClock {
  /**
   * Moves the clock forward by `milliseconds` (≥ 0). Every timer due by then fires, in due order
   * (ties in the order they were set), with the clock reading its due time; timers set by those
   * callbacks fire too when they fall due within the move. When callbacks throw, the clock still
   * finishes the move, then the first error is thrown. Nothing is awaited: use `advanceAsync` for
   * async callbacks.
   */
  advance(milliseconds: number): void;
  /** Sets the clock to `time` (which may not go backwards), firing the timers due by then like `advance`. */
  set(time: number): void;
  /**
   * Like `advance`, but asynchronous, so that tests of async code can drive time without sleeping:
   * - When a timer's callback returns a promise (an `async` callback), it is awaited before the
   *   next timer fires, however long it takes: real I/O included.
   * - Otherwise, and after each awaited promise, one turn of the event loop is let run (a
   *   `setImmediate`) before the next timer fires, and also before the move and at its end. That
   *   is enough for promise continuations (microtasks), not for real I/O (files, network): work a
   *   callback starts without returning it may still be going when the next timer fires.
   *
   * A callback's promise must not wait for a later timer of this clock: it would never settle,
   * and neither would `advanceAsync`. Rejects, once the move is done, with the first error a
   * callback threw or its promise rejected with.
   */
  advanceAsync(milliseconds: number): Promise<void>;
  /** How many timers are set and have neither fired nor been cancelled. */
  pendingTimers(): number;
}

interface ManualTimer {
  readonly dueAt: number;
  readonly order: number;
  readonly callback: () => void;
}

/** Captured at load, so fake timers installed later by a test runner cannot stall `advanceAsync`. */
const realSetImmediate = globalThis.setImmediate;

/** Lets every queued promise continuation (microtask) run: one turn of the event loop. */
const settlePromises = (): Promise<void> => new Promise((resolve) => realSetImmediate(resolve));

function isPromiseLike(value: unknown): value is PromiseLike<unknown> {
  return (
    value !== null &&
    (typeof value === 'object' || typeof value === 'function') &&
    typeof (value as PromiseLike<unknown>).then === 'function'
  );
}

/** Creates a {@link ManualClock} starting at `start` milliseconds. @param start - @default 0 */
export function manualClock(start = 0): ManualClock {
  let time = start;
  let order = 0;
  const timers = new Set<ManualTimer>();

  function assertMove(milliseconds: number): void {
    if (!(milliseconds >= 0) || !Number.isFinite(milliseconds)) {
      throw new InvalidArgumentError({
        argument: 'milliseconds',
        value: milliseconds,
        message: 'must be a finite number ≥ 0',
      });
    }
  }

  /** The earliest timer due by `target`, if any. */
  function nextDue(target: number): ManualTimer | undefined {
    let next: ManualTimer | undefined;
    for (const timer of timers) {
      if (timer.dueAt > target) continue;
      if (
        next === undefined ||
        timer.dueAt < next.dueAt ||
        (timer.dueAt === next.dueAt && timer.order < next.order)
      ) {
        next = timer;
      }
    }
    return next;
  }

  /**
   * Fires one due timer; returns what its callback returned, or `undefined` when no timer was
   * due. What the callback throws goes to `errors`.
   */
  function fireNext(target: number, errors: unknown[]): { returned: unknown } | undefined {
    const timer = nextDue(target);
    if (timer === undefined) return undefined;
    timers.delete(timer);
    time = Math.max(time, timer.dueAt);
    try {
      // Typed `() => void`, a callback may still be async: `advanceAsync` awaits what it returns.
      return { returned: (timer.callback as () => unknown)() };
    } catch (error) {
      errors.push(error);
      return { returned: undefined };
    }
  }

  function moveTo(target: number): void {
    const errors: unknown[] = [];
    while (fireNext(target, errors) !== undefined) {
      // Fire in due order until none is due by the target.
    }
    time = Math.max(time, target);
    if (errors.length > 0) throw errors[0];
  }

  return {
    now: () => time,
    setTimer(callback, delayMs) {
      const delay = timerDelay(callback, delayMs);
      const timer: ManualTimer = { dueAt: time + delay, order: order++, callback };
      if (delay !== Number.POSITIVE_INFINITY) timers.add(timer);
      const handle: TimerHandle = {
        cancel: () => {
          timers.delete(timer);
        },
        hasRef: () => false,
      };
      return handle;
    },
    advance(milliseconds) {
      assertMove(milliseconds);
      moveTo(time + milliseconds);
    },
    set(next) {
      if (!Number.isFinite(next) || next < time) {
        throw new InvalidArgumentError({
          argument: 'time',
          value: next,
          message: `must be finite and ≥ the current time ${time}`,
        });
      }
      moveTo(next);
    },
    async advanceAsync(milliseconds) {
      assertMove(milliseconds);
      const target = time + milliseconds;
      const errors: unknown[] = [];
      await settlePromises();
      for (let fired = fireNext(target, errors); fired !== undefined; fired = fireNext(target, errors)) {
        if (isPromiseLike(fired.returned)) {
          try {
            await fired.returned;
          } catch (error) {
            errors.push(error);
          }
        }
        await settlePromises();
      }
      time = Math.max(time, target);
      await settlePromises();
      if (errors.length > 0) throw errors[0];
    },
    pendingTimers: () => timers.size,
  };
}
