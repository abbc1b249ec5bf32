/** An abort signal tied to parent signals, with its own `abort`. */
export interface LinkedSignal {
  readonly signal: AbortSignal;
  /** Aborts with `reason`, unless already aborted. */
  abort(reason: unknown): void;
  /** Removes the listeners from the parents; call once the signal is no longer used. */
  release(): void;
}

/**
 * A signal that aborts when any of `parents` aborts (with that parent's reason) or when
 * `abort` is called. Built from an `AbortController` and listeners, as `attempt-signal.ts` does,
 * rather than `AbortSignal.any`: on Node 20 a fetch waiting on nested `AbortSignal.any` signals
 * was seen here never to settle once they aborted.
 */
export function linkedSignal(...parents: readonly (AbortSignal | undefined)[]): LinkedSignal {
  const controller = new AbortController();
  const listeners: { parent: AbortSignal; onAbort: () => void }[] = [];
  for (const parent of parents) {
    if (!parent) continue;
    if (parent.aborted) {
      controller.abort(parent.reason);
      break;
    }
    const onAbort = () => controller.abort(parent.reason);
    parent.addEventListener('abort', onAbort, { once: true });
    listeners.push({ parent, onAbort });
  }
  return {
    signal: controller.signal,
    abort(reason) {
      if (!controller.signal.aborted) controller.abort(reason);
    },
    release() {
      for (const { parent, onAbort } of listeners) parent.removeEventListener('abort', onAbort);
      listeners.length = 0;
    },
  };
}
