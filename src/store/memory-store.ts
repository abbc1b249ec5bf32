import type { Clock } from '../clock/clock.js';
import { systemClock } from '../clock/clock.js';
import { StoreError } from '../errors/store-error.js';
import {
  addToField,
  assertClock,
  assertJsonValue,
  assertKey,
  assertKeys,
  assertOptions,
  assertPrefix,
  expiryTime,
  type FieldIncrement,
  readIncrements,
} from './internal.js';
import type { CounterIncrement, CounterRecord, JsonValue, SetDocumentOptions, Store } from './spec.js';

/** Options of {@link memoryStore}. */
export interface MemoryStoreOptions {
  /**
   * The clock document TTLs are measured with. Pass a `manualClock()` to drive expiry in tests.
   * @default systemClock
   */
  readonly clock?: Clock;
}

/** Defaults of {@link memoryStore}'s options. */
export const MEMORY_STORE_DEFAULTS = Object.freeze({
  clock: systemClock,
});

const OPTION_KEYS = ['clock'] as const;

interface StoredDocument {
  readonly value: JsonValue;
  /** Milliseconds since the epoch on the store's clock; `Infinity` for no expiry. */
  readonly expiresAt: number;
}

/**
 * A {@link Store} that keeps everything in the memory of this process, in plain `Map`s. It is
 * lost when the process exits; use it for tests, short-lived processes and as the default.
 *
 * Increments are applied synchronously inside the returned promise, so they are atomic within
 * the process at no cost, and a call applies all of its increments or, when it rejects, none.
 * Records and documents handed out are copies: changing them never changes the store. Expired
 * documents are removed lazily, when read, scanned or deleted.
 *
 * @example
 * ```ts
 * const store = memoryStore();
 * await store.increment([{ key: 'arm:a', deltas: { pulls: 1, reward: 0.8 } }]);
 * const [record] = await store.readCounters(['arm:a']); // { pulls: 1, reward: 0.8 }
 * ```
 */
export function memoryStore(options?: MemoryStoreOptions): Store {
  assertOptions(options, 'options', OPTION_KEYS, true);
  assertClock(options?.clock, 'options.clock');
  const clock = options?.clock ?? MEMORY_STORE_DEFAULTS.clock;
  // Counter hashes are mutable field maps changed in place; readers get copies.
  const counters = new Map<string, Record<string, number>>();
  const documents = new Map<string, StoredDocument>();
  let closed = false;

  function assertOpen(): void {
    if (closed) throw new StoreError({ store: 'memory', message: 'the store is closed' });
  }

  /** The live stored document at `key`, after removing it if it has expired. */
  function liveDocument(key: string): StoredDocument | undefined {
    const stored = documents.get(key);
    if (stored === undefined || stored.expiresAt === Number.POSITIVE_INFINITY) return stored;
    if (clock.now() < stored.expiresAt) return stored;
    documents.delete(key);
    return undefined;
  }

  return {
    specificationVersion: 'v1',
    name: 'memory',

    async increment(increments: readonly CounterIncrement[]): Promise<void> {
      assertOpen();
      // All or nothing: everything that can throw (the closed check, validation, reading the
      // caller's objects) happens before the first write; applying the validated copy below
      // only adds numbers to plain objects in a Map, which cannot throw (short of the process
      // running out of memory).
      const fields = readIncrements(increments);
      for (let index = 0; index < fields.length; index++) {
        const { key, field, delta } = fields[index] as FieldIncrement;
        let hash = counters.get(key);
        if (hash === undefined) {
          hash = {};
          counters.set(key, hash);
        }
        addToField(hash, field, delta);
      }
    },

    async readCounters(keys: readonly string[]): Promise<ReadonlyArray<CounterRecord | undefined>> {
      assertOpen();
      assertKeys(keys);
      const records = new Array<CounterRecord | undefined>(keys.length);
      for (let index = 0; index < keys.length; index++) {
        const hash = counters.get(keys[index] as string);
        records[index] = hash === undefined ? undefined : { ...hash };
      }
      return records;
    },

    async *scanCounters(prefix: string): AsyncGenerator<readonly [key: string, record: CounterRecord]> {
      assertOpen();
      assertPrefix(prefix);
      for (const [key, hash] of counters) {
        if (key.startsWith(prefix)) yield [key, { ...hash }];
      }
    },

    async getDocument(key: string): Promise<JsonValue | undefined> {
      assertOpen();
      assertKey(key);
      const stored = liveDocument(key);
      return stored === undefined ? undefined : structuredClone(stored.value);
    },

    async setDocument(key: string, value: JsonValue, options?: SetDocumentOptions): Promise<void> {
      assertOpen();
      assertKey(key);
      assertJsonValue(value);
      const expiresAt = expiryTime(options, clock) ?? Number.POSITIVE_INFINITY;
      documents.set(key, { value: structuredClone(value), expiresAt });
    },

    async *scanDocuments(prefix: string): AsyncGenerator<readonly [key: string, value: JsonValue]> {
      assertOpen();
      assertPrefix(prefix);
      for (const key of documents.keys()) {
        if (!key.startsWith(prefix)) continue;
        const stored = liveDocument(key);
        if (stored !== undefined) yield [key, structuredClone(stored.value)];
      }
    },

    async delete(key: string): Promise<boolean> {
      assertOpen();
      assertKey(key);
      const hadDocument = liveDocument(key) !== undefined;
      documents.delete(key);
      return counters.delete(key) || hadDocument;
    },

    async clear(prefix?: string): Promise<void> {
      assertOpen();
      if (prefix === undefined || prefix === '') {
        counters.clear();
        documents.clear();
        return;
      }
      assertPrefix(prefix);
      // Deleting the current entry while iterating a Map is safe.
      for (const key of counters.keys()) if (key.startsWith(prefix)) counters.delete(key);
      for (const key of documents.keys()) if (key.startsWith(prefix)) documents.delete(key);
    },

    async close(): Promise<void> {
      // Idempotent: closing twice is harmless; every other call after the first close rejects.
      closed = true;
      counters.clear();
      documents.clear();
    },
  };
}
