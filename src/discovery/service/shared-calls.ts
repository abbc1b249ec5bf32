import { unlessAborted } from '../../core/unless-aborted.js';

interface Running<Value> {
  readonly promise: Promise<Value>;
  readonly controller: AbortController;
  waiters: number;
}

/**
 * Calls in flight by key, shared by every caller that asks for the same key meanwhile (two
 * `discover` calls for the same provider query list once). Each caller may abort its own wait; the
 * call itself is aborted only when every caller that joined it with a signal has aborted and none
 * joined without one.
 */
export class SharedCalls<Value> {
  readonly #running = new Map<string, Running<Value>>();

  /** Joins the call under `key`, starting it with `start` when none is in flight. */
  run(key: string, start: (signal: AbortSignal) => Promise<Value>, signal?: AbortSignal): Promise<Value> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    let running = this.#running.get(key);
    if (running === undefined) {
      const controller = new AbortController();
      const promise = start(controller.signal);
      const entry: Running<Value> = { promise, controller, waiters: 0 };
      const forget = () => {
        if (this.#running.get(key) === entry) this.#running.delete(key);
      };
      promise.then(forget, forget);
      this.#running.set(key, entry);
      running = entry;
    }
    const joined = running;
    joined.waiters += 1;
    if (signal === undefined) {
      // This caller never leaves, so the call is never aborted on others' behalf.
      joined.waiters = Number.POSITIVE_INFINITY;
      return joined.promise;
    }
    const leave = () => {
      joined.waiters -= 1;
      if (joined.waiters > 0) return;
      if (this.#running.get(key) === joined) this.#running.delete(key);
      joined.controller.abort(signal.reason);
    };
    signal.addEventListener('abort', leave, { once: true });
    const settled = () => signal.removeEventListener('abort', leave);
    joined.promise.then(settled, settled);
    return unlessAborted(joined.promise, signal);
  }
}
