import { LONGEST_TIMER_MS } from './longest-timer.js';
import { type TimerHandle, timerDelay } from './timer-clock.js';

/**
 * `setTimer` of the system clock: a real `setTimeout`, unref'd so it never keeps the process
 * alive. A delay longer than a Node timer holds ({@link LONGEST_TIMER_MS}, about 24.8 days) is
 * waited out in several timers; `Infinity` arms none.
 * @internal
 */
export function setSystemTimer(callback: () => void, delayMs: number): TimerHandle {
  let remaining = timerDelay(callback, delayMs);
  let timeout: NodeJS.Timeout | undefined;
  const arm = (): void => {
    if (remaining > LONGEST_TIMER_MS) {
      remaining -= LONGEST_TIMER_MS;
      timeout = setTimeout(arm, LONGEST_TIMER_MS);
    } else {
      timeout = setTimeout(() => {
        timeout = undefined;
        callback();
      }, remaining);
    }
    timeout.unref();
  };
  if (remaining !== Number.POSITIVE_INFINITY) arm();
  return {
    cancel() {
      if (timeout !== undefined) clearTimeout(timeout);
      timeout = undefined;
    },
    hasRef: () => timeout?.hasRef() ?? false,
  };
}
