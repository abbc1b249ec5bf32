import type { TimerClock, TimerHandle } from '../../clock/timer-clock.js';

/** How one attempt bounded by {@link runAttempt} ended. @internal */
export type AttemptSettlement<Value> =
  | { readonly kind: 'value'; readonly value: Value }
  | { readonly kind: 'error'; readonly error: unknown }
  | { readonly kind: 'timeout'; readonly error: DOMException }
  | { readonly kind: 'aborted'; readonly reason: unknown };

/**
 * Runs `call` with a signal that aborts after `timeoutMs` on `clock` (with a `TimeoutError`
 * `DOMException`, named after `label`) or when `parent` aborts (with its reason), and settles at
 * that moment even when the call ignores its signal and never settles. Never rejects.
 * @internal
 */
export function runAttempt<Value>(
  call: (signal: AbortSignal) => Promise<Value> | Value,
  {
    clock,
    timeoutMs,
    parent,
    label,
  }: {
    clock: TimerClock;
    timeoutMs: number;
    parent: AbortSignal | undefined;
    label: string;
  },
): Promise<AttemptSettlement<Value>> {
  if (parent?.aborted) return Promise.resolve({ kind: 'aborted', reason: parent.reason });
  const controller = new AbortController();
  return new Promise((resolve) => {
    let settled = false;
    let timer: TimerHandle | undefined;
    const finish = (settlement: AttemptSettlement<Value>): void => {
      if (settled) return;
      settled = true;
      timer?.cancel();
      parent?.removeEventListener('abort', onAbort);
      resolve(settlement);
    };
    const onAbort = (): void => {
      controller.abort(parent?.reason);
      finish({ kind: 'aborted', reason: parent?.reason });
    };
    parent?.addEventListener('abort', onAbort, { once: true });
    if (timeoutMs !== Number.POSITIVE_INFINITY) {
      timer = clock.setTimer(() => {
        const error = new DOMException(`${label} timed out after ${timeoutMs} ms`, 'TimeoutError');
        controller.abort(error);
        finish({ kind: 'timeout', error });
      }, timeoutMs);
    }
    let running: Promise<Value>;
    try {
      running = Promise.resolve(call(controller.signal));
    } catch (error) {
      finish({ kind: 'error', error });
      return;
    }
    running.then(
      (value) => finish({ kind: 'value', value }),
      (error: unknown) => finish({ kind: 'error', error }),
    );
  });
}
