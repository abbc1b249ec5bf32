/** How a call bounded by {@link withDeadline} ended. @internal */
export type DeadlineOutcome<Value> =
  | { readonly kind: 'value'; readonly value: Value }
  | { readonly kind: 'error'; readonly error: unknown }
  | { readonly kind: 'timeout' }
  | { readonly kind: 'aborted'; readonly reason: unknown };

import { LONGEST_TIMER_MS } from '../../clock/longest-timer.js';

export { LONGEST_TIMER_MS };

/**
 * Runs `call` with a signal that aborts after `timeoutMs` (real time) or when `parent` aborts,
 * and settles at that moment even when the call ignores its signal and never settles (a hung
 * model). Never rejects. A value that arrives after the deadline goes to `late` (e.g. a model
 * whose load finished too late, to dispose it).
 * @internal
 */
export function withDeadline<Value>(
  call: (signal: AbortSignal) => Promise<Value>,
  timeoutMs: number,
  parent: AbortSignal | undefined,
  late?: (value: Value) => void,
): Promise<DeadlineOutcome<Value>> {
  if (parent?.aborted) return Promise.resolve({ kind: 'aborted', reason: parent.reason });
  const controller = new AbortController();
  return new Promise((resolve) => {
    let settled = false;
    const finish = (outcome: DeadlineOutcome<Value>) => {
      if (settled) return;
      settled = true;
      if (timer !== undefined) clearTimeout(timer);
      parent?.removeEventListener('abort', onAbort);
      resolve(outcome);
    };
    const onAbort = () => {
      controller.abort(parent?.reason);
      finish({ kind: 'aborted', reason: parent?.reason });
    };
    const timer =
      timeoutMs <= LONGEST_TIMER_MS
        ? setTimeout(
            () => {
              controller.abort(new Error(`timed out after ${timeoutMs} ms`));
              finish({ kind: 'timeout' });
            },
            Math.max(0, timeoutMs),
          )
        : undefined;
    parent?.addEventListener('abort', onAbort, { once: true });
    let running: Promise<Value>;
    try {
      // A call that returns plainly (a JavaScript runner) is treated as settled at once.
      running = Promise.resolve(call(controller.signal));
    } catch (error) {
      finish({ kind: 'error', error });
      return;
    }
    running.then(
      (value) => {
        if (!settled) finish({ kind: 'value', value });
        else if (late !== undefined) {
          try {
            late(value);
          } catch {
            // Nobody waits for a late value any more: a failing handler must not be an unhandled rejection.
          }
        }
      },
      (error: unknown) => finish({ kind: 'error', error }),
    );
  });
}
