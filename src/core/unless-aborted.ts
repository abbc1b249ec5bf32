/**
 * Resolves or rejects like `promise`, unless `signal` aborts first: then it rejects with the
 * signal's reason at once, for a caller that stops waiting for work that goes on (shared with
 * others, or a stalled stream). `promise` is always observed, so its later rejection is never
 * unhandled. @internal
 */
export function unlessAborted<Value>(
  promise: Promise<Value>,
  signal: AbortSignal | undefined,
): Promise<Value> {
  if (signal === undefined) return promise;
  return new Promise<Value>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}
