import type { TimerClock, TimerHandle } from '../clock/timer-clock.js';

/** Runs a callback once things have been quiet for a while. @internal */
export interface Debouncer {
  /** (Re)starts the wait: the callback runs `delayMs` after the last trigger. */
  trigger(): void;
  /** Cancels a pending run. */
  cancel(): void;
  /** Whether a run is pending. */
  pending(): boolean;
}

/** Creates a {@link Debouncer} on `clock`. @internal */
export function createDebouncer(clock: TimerClock, delayMs: number, callback: () => void): Debouncer {
  let timer: TimerHandle | undefined;
  return {
    trigger() {
      timer?.cancel();
      timer = clock.setTimer(() => {
        timer = undefined;
        callback();
      }, delayMs);
    },
    cancel() {
      timer?.cancel();
      timer = undefined;
    },
    pending: () => timer !== undefined,
  };
}
