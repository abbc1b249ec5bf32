import type { Keyv } from 'keyv';
import type { Clock } from '../clock/clock.js';
import { systemClock } from '../clock/clock.js';
import { InvalidArgumentError } from '../errors/invalid-argument-error.js';
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
  readIncrements,
} from './internal.js';
import type { CounterIncrement, CounterRecord, JsonValue, SetDocumentOptions, Store } from './spec.js';

/** Options of {@link keyvStore}. */
export interface KeyvStoreOptions {
  /**
   * The keyv 5 instance to store in, with any adapter. Give it a `namespace` of its own (or a
   * dedicated adapter), create it with `throwOnErrors: true` so that read failures are not hidden
   * as missing values, and do not let Keyvs with different namespaces share one adapter instance
   * (keyv's iterator reads the namespace from the adapter).
   */
  readonly keyv: Keyv<unknown>;
  /**
   * The clock document TTLs are measured with. Pass a `manualClock()` to drive expiry in tests.
   * @default systemClock
   */
  readonly clock?: Clock;
  /**
   * Whether {@link Store.close} also calls `keyv.disconnect()`. Leave it off when the Keyv is
   * shared with other code or other stores.
   * @default false
   */
  readonly disconnectOnClose?: boolean;
}

/** Defaults of {@link keyvStore}'s options. */
export const KEYV_STORE_DEFAULTS = Object.freeze({
  clock: systemClock,
  disconnectOnClose: false,
});

const OPTION_KEYS = ['keyv', 'clock', 'disconnectOnClose'] as const;

/** Keyv key prefixes that keep counters and documents in separate key spaces. */
const COUNTER_PREFIX = 'c:';
const DOCUMENT_PREFIX = 'd:';
const COUNTER_KIND = 'modelscout.counter';
const DOCUMENT_KIND = 'modelscout.document';

/**
 * What is stored in keyv. Each entry carries its own kind and key: scans read them from the
 * entry, because keyv's iterator mangles keys in some configurations (without a namespace it
 * drops everything up to the first ':'), and because entries written by other code are skipped.
 */
interface CounterEntry {
  readonly kind: typeof COUNTER_KIND;
  readonly key: string;
  readonly fields: Record<string, number>;
}

interface DocumentEntry {
  readonly kind: typeof DOCUMENT_KIND;
  readonly key: string;
  readonly value: JsonValue;
  /** Milliseconds since the epoch on the store's clock; `null` for no expiry. */
  readonly expiresAt: number | null;
}

/**
 * Per-key queues of increments, shared by every keyvStore of this process that writes to the
 * same keyv adapter (Map or adapter instance), so two stores over one Keyv do not lose updates.
 */
const incrementQueues = new WeakMap<object, Map<string, Promise<void>>>();

/**
 * A {@link Store} on top of a [keyv](https://keyv.org) 5 instance, so modelscout can persist to
 * any keyv adapter (SQLite, Postgres, MySQL, MongoDB, Redis, files, the default in-memory Map).
 *
 * **Increments are atomic only within one process.** Keyv has no atomic increment, so each
 * increment is a read-modify-write, serialized per key inside this process (by every keyvStore
 * writing to the same adapter instance). That suits single-process persistence with any adapter.
 * Several processes sharing one database through keyv would lose concurrent increments: fleets
 * should use a store with native atomic increments (such as a Redis store).
 *
 * **A call applies all of its increments or none, within one process, on a best-effort basis.**
 * A call holds all of its keys while it reads them all, computes every new value, and writes
 * them; when a write fails (keyv rejects or `set` returns false), it restores the keys it had
 * already written (deleting those that did not exist) before rejecting with a
 * {@link StoreError}, so the caller can retry the whole call. A write keyv reports as failed is
 * taken as not done. If restoring fails too, the error says that the call was partly applied
 * (its `cause` is an `AggregateError` of every failure). A process that dies between the writes
 * of one call leaves it partly applied, and other readers may see a call in progress.
 *
 * Counters and documents live under the keyv keys `c:<key>` and `d:<key>`. Document TTLs are
 * checked against `clock`; with `systemClock` (the default) the TTL is also handed to keyv, so
 * adapters with native expiry evict expired documents. `scanCounters`, `scanDocuments` and
 * `clear` need `keyv.iterator` (the default Map adapter and the sqlite, postgres, mysql, mongo,
 * redis, valkey and etcd adapters have it) and reject with a {@link StoreError} without it.
 * `clear()` deletes only this store's entries, never other data in the same Keyv.
 *
 * @example
 * ```ts
 * import KeyvSqlite from '@keyv/sqlite';
 * import { Keyv } from 'keyv';
 *
 * const keyv = new Keyv({ store: new KeyvSqlite('sqlite://modelscout.sqlite'), namespace: 'modelscout', throwOnErrors: true });
 * const store = keyvStore({ keyv, disconnectOnClose: true });
 * ```
 */
export function keyvStore(options: KeyvStoreOptions): Store {
  assertOptions(options, 'options', OPTION_KEYS, false);
  const { keyv } = options;
  if (
    keyv === null ||
    typeof keyv !== 'object' ||
    typeof keyv.get !== 'function' ||
    typeof keyv.set !== 'function' ||
    typeof keyv.delete !== 'function' ||
    typeof keyv.disconnect !== 'function' ||
    keyv.store === null ||
    typeof keyv.store !== 'object'
  ) {
    throw new InvalidArgumentError({
      argument: 'options.keyv',
      value: keyv,
      message: 'must be a Keyv instance',
    });
  }
  assertClock(options.clock, 'options.clock');
  const clock = options.clock ?? KEYV_STORE_DEFAULTS.clock;
  const disconnectOnClose = options.disconnectOnClose ?? KEYV_STORE_DEFAULTS.disconnectOnClose;
  if (typeof disconnectOnClose !== 'boolean') {
    throw new InvalidArgumentError({
      argument: 'options.disconnectOnClose',
      value: disconnectOnClose,
      message: 'must be a boolean',
    });
  }
  const inFlight = new Set<Promise<unknown>>();
  let closed = false;

  function assertOpen(): void {
    if (closed) throw new StoreError({ store: 'keyv', message: 'the store is closed' });
  }

  /** Runs `operation` and counts it as in flight until it settles, so `close()` can wait for it. */
  async function track<T>(operation: () => Promise<T>): Promise<T> {
    assertOpen();
    const promise = operation();
    inFlight.add(promise);
    try {
      return await promise;
    } finally {
      inFlight.delete(promise);
    }
  }

  /**
   * Runs `task` after every earlier task queued for any of `keyvKeys` by any keyvStore writing
   * to the same adapter in this process, and before every later one. This per-key queue is what
   * makes increments atomic — within this process only. A task joins the queues of all its keys
   * at once (synchronously), so tasks wait for each other in the order they were queued and two
   * tasks sharing keys can never wait for each other in a cycle.
   */
  function runExclusive(keyvKeys: readonly string[], task: () => Promise<void>): Promise<void> {
    const adapter: object = keyv.store;
    let queues = incrementQueues.get(adapter);
    if (queues === undefined) {
      queues = new Map();
      incrementQueues.set(adapter, queues);
    }
    const earlier: Promise<void>[] = [];
    for (const keyvKey of keyvKeys) {
      const queued = queues.get(keyvKey);
      if (queued !== undefined) earlier.push(queued);
    }
    // Queued promises never reject (see `settled`), so Promise.all waits for all of them.
    const run = (earlier.length === 1 ? (earlier[0] as Promise<void>) : Promise.all(earlier)).then(task);
    const settled = run.then(
      () => undefined,
      () => undefined,
    );
    for (const keyvKey of keyvKeys) queues.set(keyvKey, settled);
    void settled.then(() => {
      for (const keyvKey of keyvKeys) if (queues.get(keyvKey) === settled) queues.delete(keyvKey);
    });
    return run;
  }

  async function readEntry(keyvKey: string): Promise<unknown> {
    try {
      return await keyv.get<unknown>(keyvKey);
    } catch (error) {
      throw keyvFailure(`read '${keyvKey}'`, error);
    }
  }

  async function readEntries(keyvKeys: string[]): Promise<unknown[]> {
    try {
      // keyv's getMany hides per-key failures when the adapter has no getMany of its own.
      if (typeof keyv.store.getMany === 'function') return await keyv.getMany<unknown>(keyvKeys);
      return await Promise.all(keyvKeys.map((keyvKey) => keyv.get<unknown>(keyvKey)));
    } catch (error) {
      throw keyvFailure(`read ${keyvKeys.length} keys`, error);
    }
  }

  async function writeEntry(keyvKey: string, entry: CounterEntry | DocumentEntry, ttlMs = 0): Promise<void> {
    let written: boolean;
    try {
      // A TTL of 0 overrides a Keyv-wide default `ttl`: counters must never expire.
      written = await keyv.set(keyvKey, entry, ttlMs);
    } catch (error) {
      throw keyvFailure(`write '${keyvKey}'`, error);
    }
    if (!written) throw keyvFailure(`write '${keyvKey}' (keyv.set returned false)`, undefined);
  }

  async function deleteEntry(keyvKey: string): Promise<boolean> {
    try {
      return await keyv.delete(keyvKey);
    } catch (error) {
      throw keyvFailure(`delete '${keyvKey}'`, error);
    }
  }

  /**
   * Puts the counter entry `previous` (as read before an increment, `undefined` or `null` when
   * there was none) back at `keyvKey`. Rejects with a {@link StoreError} when keyv fails or
   * reports a failure (`set` or `delete` returning false).
   */
  async function restoreEntry(keyvKey: string, previous: unknown): Promise<void> {
    if (previous !== undefined && previous !== null) {
      await writeEntry(keyvKey, previous as CounterEntry);
      return;
    }
    // The key was written by the failed call just now and is still held, so it exists: keyv
    // returning false here means it hid a failure (it does without `throwOnErrors`).
    if (!(await deleteEntry(keyvKey))) {
      throw keyvFailure(`delete '${keyvKey}' (keyv.delete returned false)`, undefined);
    }
  }

  /** Every entry of this store in keyv, read with `keyv.iterator`. */
  async function* entries(): AsyncGenerator<CounterEntry | DocumentEntry> {
    const { iterator } = keyv;
    if (iterator === undefined) {
      throw new StoreError({
        store: 'keyv',
        message:
          'the keyv adapter does not support iteration (keyv.iterator is undefined), which scanCounters, ' +
          'scanDocuments and clear need; use an iterable adapter (the default Map, sqlite, postgres, mysql, ' +
          'mongo, redis, valkey, etcd)',
      });
    }
    try {
      for await (const item of iterator.call(keyv, keyv.namespace)) {
        const value: unknown = Array.isArray(item) ? item[1] : undefined;
        if (isCounterEntry(value) || isDocumentEntry(value)) yield value;
      }
    } catch (error) {
      if (StoreError.isInstance(error)) throw error;
      throw keyvFailure('iterate', error);
    }
  }

  function isExpired(entry: DocumentEntry): boolean {
    return entry.expiresAt !== null && clock.now() >= entry.expiresAt;
  }

  async function deleteCounter(key: string): Promise<boolean> {
    let deleted = false;
    // Queued behind in-flight increments, so a delete cannot be undone by an increment that read before it.
    await runExclusive([COUNTER_PREFIX + key], async () => {
      deleted = await deleteEntry(COUNTER_PREFIX + key);
    });
    return deleted;
  }

  async function deleteDocument(key: string): Promise<boolean> {
    const stored = await readEntry(DOCUMENT_PREFIX + key);
    if (stored === undefined) return false;
    const deleted = await deleteEntry(DOCUMENT_PREFIX + key);
    return deleted && !(isDocumentEntry(stored) && isExpired(stored));
  }

  return {
    specificationVersion: 'v1',
    name: 'keyv',

    increment(increments: readonly CounterIncrement[]): Promise<void> {
      return track(async () => {
        // Validated (and copied) before anything is read or written.
        const fields = readIncrements(increments);
        // Several increments of one key in one call are merged: one read-modify-write per key.
        const merged = new Map<string, Record<string, number>>();
        for (const { key, field, delta } of fields) {
          let sum = merged.get(key);
          if (sum === undefined) {
            sum = {};
            merged.set(key, sum);
          }
          addToField(sum, field, delta);
        }
        if (merged.size === 0) return;
        // Unique and sorted: every call queues for, writes and restores its keys in one order.
        const keys = [...merged.keys()].sort();
        const keyvKeys = keys.map((key) => COUNTER_PREFIX + key);
        await runExclusive(keyvKeys, async () => {
          const stored = await readEntries(keyvKeys);
          // Every new value is computed (and every stored entry checked) before the first write.
          const updated = keys.map((key, index): CounterEntry => {
            const keyvKey = keyvKeys[index] as string;
            const counter = counterFields(stored[index], keyvKey) ?? {};
            const deltas = merged.get(key) as Record<string, number>;
            for (const field of Object.keys(deltas)) addToField(counter, field, deltas[field] as number);
            return { kind: COUNTER_KIND, key, fields: counter };
          });
          const writes = await Promise.allSettled(
            updated.map((entry, index) => writeEntry(keyvKeys[index] as string, entry)),
          );
          const failed: StoreError[] = [];
          const written: number[] = [];
          writes.forEach((write, index) => {
            if (write.status === 'fulfilled') written.push(index);
            else failed.push(write.reason as StoreError);
          });
          if (failed.length === 0) return;
          // All or nothing: put back what this call already wrote (we still hold every key).
          const restores = await Promise.allSettled(
            written.map((index) => restoreEntry(keyvKeys[index] as string, stored[index])),
          );
          const unrestored: StoreError[] = [];
          for (const restore of restores) {
            if (restore.status === 'rejected') unrestored.push(restore.reason as StoreError);
          }
          throw incrementFailure(failed, unrestored, written.length);
        });
      });
    },

    readCounters(keys: readonly string[]): Promise<ReadonlyArray<CounterRecord | undefined>> {
      return track(async () => {
        assertKeys(keys);
        if (keys.length === 0) return [];
        const keyvKeys = keys.map((key) => COUNTER_PREFIX + key);
        const stored = await readEntries(keyvKeys);
        return keyvKeys.map((keyvKey, index) => counterFields(stored[index], keyvKey));
      });
    },

    async *scanCounters(prefix: string): AsyncGenerator<readonly [key: string, record: CounterRecord]> {
      assertOpen();
      assertPrefix(prefix);
      for await (const entry of entries()) {
        if (entry.kind !== COUNTER_KIND || !entry.key.startsWith(prefix)) continue;
        const fields = counterFields(entry, COUNTER_PREFIX + entry.key);
        if (fields !== undefined) yield [entry.key, fields];
      }
    },

    getDocument(key: string): Promise<JsonValue | undefined> {
      return track(async () => {
        assertKey(key);
        const stored = await readEntry(DOCUMENT_PREFIX + key);
        if (stored === undefined) return undefined;
        if (!isDocumentEntry(stored)) throw corruptEntry(DOCUMENT_PREFIX + key);
        // An expired document is left in place (deleting it here could race a newer setDocument);
        // delete() and clear() remove it, and with systemClock the adapter's own TTL does.
        return isExpired(stored) ? undefined : structuredClone(stored.value);
      });
    },

    setDocument(key: string, value: JsonValue, options?: SetDocumentOptions): Promise<void> {
      return track(async () => {
        assertKey(key);
        assertJsonValue(value);
        const expiresAt = expiryTime(options, clock) ?? null;
        const entry: DocumentEntry = { kind: DOCUMENT_KIND, key, value: structuredClone(value), expiresAt };
        // keyv's own TTL runs on Date.now, so it is used only when the store's clock is the system clock.
        const keyvTtlMs = expiresAt !== null && clock === systemClock ? (options?.ttlMs ?? 0) : 0;
        await writeEntry(DOCUMENT_PREFIX + key, entry, keyvTtlMs);
      });
    },

    async *scanDocuments(prefix: string): AsyncGenerator<readonly [key: string, value: JsonValue]> {
      assertOpen();
      assertPrefix(prefix);
      for await (const entry of entries()) {
        if (entry.kind !== DOCUMENT_KIND || !entry.key.startsWith(prefix) || isExpired(entry)) continue;
        yield [entry.key, structuredClone(entry.value)];
      }
    },

    delete(key: string): Promise<boolean> {
      return track(async () => {
        assertKey(key);
        const [counterDeleted, documentDeleted] = await Promise.all([
          deleteCounter(key),
          deleteDocument(key),
        ]);
        return counterDeleted || documentDeleted;
      });
    },

    clear(prefix?: string): Promise<void> {
      return track(async () => {
        if (prefix !== undefined) assertPrefix(prefix);
        const matching: (CounterEntry | DocumentEntry)[] = [];
        // Collect first, delete after: some adapters iterate with cursors that deletions disturb.
        for await (const entry of entries()) {
          if (prefix === undefined || entry.key.startsWith(prefix)) matching.push(entry);
        }
        await Promise.all(
          matching.map((entry) =>
            entry.kind === COUNTER_KIND ? deleteCounter(entry.key) : deleteEntry(DOCUMENT_PREFIX + entry.key),
          ),
        );
      });
    },

    async close(): Promise<void> {
      // Idempotent: closing twice is harmless; every other call after the first close rejects.
      if (closed) return;
      closed = true;
      await Promise.allSettled(inFlight);
      if (!disconnectOnClose) return;
      try {
        await keyv.disconnect();
      } catch (error) {
        throw keyvFailure('disconnect', error);
      }
    },
  };
}

function keyvFailure(operation: string, cause: unknown): StoreError {
  const reason = cause instanceof Error ? `: ${cause.message}` : '';
  return new StoreError({ store: 'keyv', message: `keyv failed to ${operation}${reason}`, cause });
}

/**
 * The error of an increment whose writes `failed`, after the `written` keys it had already
 * written were put back, except the `unrestored` ones (whose restoring failed).
 */
function incrementFailure(
  failed: readonly StoreError[],
  unrestored: readonly StoreError[],
  written: number,
): StoreError {
  const more = failed.length - 1;
  const failure = `${detail(failed[0] as StoreError)}${more > 0 ? ` (and ${more} more ${more === 1 ? 'key' : 'keys'})` : ''}`;
  if (unrestored.length === 0) {
    const restored =
      written === 0
        ? ''
        : written === 1
          ? ' (the key it had written was restored)'
          : ` (the ${written} keys it had written were restored)`;
    return new StoreError({
      store: 'keyv',
      message: `${failure}; the increment was not applied${restored}`,
      cause: failed.length === 1 ? failed[0]?.cause : new AggregateError(failed, 'keyv failed to write'),
    });
  }
  return new StoreError({
    store: 'keyv',
    message:
      `${failure}, then rolling the increment back failed too (${unrestored.map(detail).join('; ')}), ` +
      `so it was partly applied: retrying it would count ${unrestored.length === 1 ? 'that key' : 'those keys'} twice`,
    cause: new AggregateError([...failed, ...unrestored], 'keyv failed to write, then to roll back'),
  });
}

/** The message of a keyv store's `error` without the leading `Store 'keyv': `. */
function detail(error: StoreError): string {
  const prefix = "Store 'keyv': ";
  return error.message.startsWith(prefix) ? error.message.slice(prefix.length) : error.message;
}

function corruptEntry(keyvKey: string): StoreError {
  return new StoreError({
    store: 'keyv',
    message: `the keyv entry '${keyvKey}' was not written by modelscout; is the Keyv shared with other data without a namespace?`,
  });
}

function isCounterEntry(value: unknown): value is CounterEntry {
  return (
    value !== null &&
    typeof value === 'object' &&
    (value as Partial<CounterEntry>).kind === COUNTER_KIND &&
    typeof (value as Partial<CounterEntry>).key === 'string'
  );
}

function isDocumentEntry(value: unknown): value is DocumentEntry {
  if (value === null || typeof value !== 'object') return false;
  const entry = value as Partial<DocumentEntry>;
  return (
    entry.kind === DOCUMENT_KIND &&
    typeof entry.key === 'string' &&
    'value' in entry &&
    (entry.expiresAt === null || typeof entry.expiresAt === 'number')
  );
}

/**
 * A fresh, mutable copy of the fields of the counter entry `stored` (read from `keyvKey`), or
 * `undefined` when nothing is stored there. Throws a {@link StoreError} for foreign or damaged entries.
 */
function counterFields(stored: unknown, keyvKey: string): Record<string, number> | undefined {
  if (stored === undefined || stored === null) return undefined;
  if (!isCounterEntry(stored)) throw corruptEntry(keyvKey);
  const { fields } = stored;
  if (fields === null || typeof fields !== 'object') throw corruptEntry(keyvKey);
  const copy: Record<string, number> = {};
  for (const field of Object.keys(fields)) {
    const value: unknown = fields[field];
    if (typeof value !== 'number' || !Number.isFinite(value)) throw corruptEntry(keyvKey);
    addToField(copy, field, value);
  }
  return copy;
}
