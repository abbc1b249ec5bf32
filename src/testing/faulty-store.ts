import { StoreError } from '../errors/store-error.js';
import type { Store } from '../store/spec.js';

/** A store that delegates to another and fails on command, to test what happens when a store goes away. */
export interface FaultyStore extends Store {
  /** While true, every call rejects with a retryable `StoreError`. */
  failing: boolean;
  /** Calls that were rejected so far. */
  readonly failures: number;
}

/** Wraps `inner` in a {@link FaultyStore} (not failing until told to). */
export function faultyStore(inner: Store): FaultyStore {
  let failures = 0;
  const fail = (operation: string): StoreError => {
    failures++;
    return new StoreError({
      store: `faulty(${inner.name})`,
      message: `${operation} failed (simulated outage)`,
      isRetryable: true,
    });
  };
  const store: FaultyStore = {
    specificationVersion: 'v1',
    name: `faulty(${inner.name})`,
    failing: false,
    get failures() {
      return failures;
    },
    increment: (increments) =>
      store.failing ? Promise.reject(fail('increment')) : inner.increment(increments),
    readCounters: (keys) => (store.failing ? Promise.reject(fail('readCounters')) : inner.readCounters(keys)),
    async *scanCounters(prefix) {
      if (store.failing) throw fail('scanCounters');
      yield* inner.scanCounters(prefix);
    },
    getDocument: (key) => (store.failing ? Promise.reject(fail('getDocument')) : inner.getDocument(key)),
    setDocument: (key, value, options) =>
      store.failing ? Promise.reject(fail('setDocument')) : inner.setDocument(key, value, options),
    async *scanDocuments(prefix) {
      if (store.failing) throw fail('scanDocuments');
      yield* inner.scanDocuments(prefix);
    },
    delete: (key) => (store.failing ? Promise.reject(fail('delete')) : inner.delete(key)),
    clear: (prefix) => (store.failing ? Promise.reject(fail('clear')) : inner.clear(prefix)),
    close: () => inner.close(),
  };
  return store;
}
