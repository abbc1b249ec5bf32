import { LONGEST_TIMER_MS } from '../../clock/longest-timer.js';

/** The abort signal of one HTTP attempt. @internal */
export interface AttemptSignal {
  readonly signal: AbortSignal;
  /** Whether the attempt was aborted by its timeout (not by a caller). */
  timedOut(): boolean;
  /** Aborts the attempt (e.g. to release its connection) unless it already was. */
  abort(): void;
  /** Clears the timer and the callers' listeners; call once the attempt is over. */
  release(): void;
}

/**
 * A signal for one attempt that aborts when any of `parents` aborts (with its reason) or after
 * `timeoutMs` (with a private reason, so `timedOut()` can tell). A timeout longer than a Node
 * timer holds (2^31 − 1 ms, `Infinity` included) means no timeout: such a timer would fire at once.
 * @internal
 */
export function attemptSignal(
  timeoutMs: number,
  ...parents: readonly (AbortSignal | null | undefined)[]
): AttemptSignal {
  const controller = new AbortController();
  const timeout = Symbol('timeout');
  const timer =
    timeoutMs <= LONGEST_TIMER_MS ? setTimeout(() => controller.abort(timeout), timeoutMs) : undefined;
  const listeners = parents.flatMap((parent) => {
    if (!parent) return [];
    const onAbort = () => controller.abort(parent.reason);
    parent.addEventListener('abort', onAbort, { once: true });
    return [{ parent, onAbort }];
  });
  return {
    signal: controller.signal,
    timedOut: () => controller.signal.aborted && controller.signal.reason === timeout,
    abort: () => {
      if (!controller.signal.aborted) controller.abort();
    },
    release: () => {
      clearTimeout(timer);
      for (const { parent, onAbort } of listeners) parent.removeEventListener('abort', onAbort);
    },
  };
}
