/** A JSON value, as documents in a store hold. */
export type JsonValue =
  | null
  | boolean
  | number
  | string
  | readonly JsonValue[]
  | { readonly [key: string]: JsonValue };

/** A hash of numeric fields that only ever grows by increments (sufficient statistics). */
export type CounterRecord = Readonly<Record<string, number>>;

/** One atomic increment: add each of `deltas` to the field of the same name in the hash `key`. */
export interface CounterIncrement {
  readonly key: string;
  readonly deltas: CounterRecord;
}

/** Options of {@link Store.increment}. */
export interface IncrementOptions {
  /**
   * Names the call so that retrying it is safe even when the store cannot tell whether a failed
   * call was applied (a network store whose connection dropped after the write was sent). A store
   * that can be in that doubt applies a call with a given `batchId` at most once; one whose
   * failures are always definite (memory, SQLite) may ignore it. A retry must carry the same
   * increments as the first attempt. Ids must be unique across every process sharing the store
   * (not drawn from a seeded random source, which repeats across processes).
   * @default none (each call is applied once per call)
   */
  readonly batchId?: string;
}

/** Options of {@link Store.setDocument}. */
export interface SetDocumentOptions {
  /** Time to live in milliseconds; the document disappears after it. @default no expiry */
  readonly ttlMs?: number;
}

/**
 * Where modelscout keeps what it learns. Two kinds of entries:
 *
 * - **counters**: hashes of numeric fields changed only by atomic increments. All learned state
 *   (bandit statistics, outcome counts) lives here, so updates from many processes sharing one
 *   store merge without loss.
 * - **documents**: JSON values replaced as a whole (model records, evaluation results).
 *
 * Counters and documents live in separate key spaces. Every implementation must pass
 * `storeConformance` from `modelscout/testing`.
 */
export interface Store {
  readonly specificationVersion: 'v1';
  /** A stable name, e.g. `'memory'`, `'keyv'`, `'sqlite'`, `'redis'`. */
  readonly name: string;
  /**
   * Applies all increments. Each increment is atomic (no concurrent increment to the same field
   * is lost); fields and hashes that do not exist start at 0. Deltas must be finite numbers.
   *
   * A call applies all of its increments or none of them: when the returned promise rejects
   * (an invalid argument, a failed write, a closed store), nothing of the call was applied, so
   * a caller can safely retry the whole batch. An implementation whose guarantee has limits
   * (e.g. a best-effort rollback) documents them, and says so in the error when one is hit.
   * Calls need not be isolated: a concurrent read may see part of a call still in progress.
   * A store that cannot always know whether a failed call was applied honours `options.batchId`.
   */
  increment(increments: readonly CounterIncrement[], options?: IncrementOptions): Promise<void>;
  /** Reads counter hashes; `undefined` for a key that was never incremented. */
  readCounters(keys: readonly string[]): Promise<ReadonlyArray<CounterRecord | undefined>>;
  /** Every counter hash whose key starts with `prefix`, in no particular order. */
  scanCounters(prefix: string): AsyncIterable<readonly [key: string, record: CounterRecord]>;
  /** Reads a document; `undefined` when absent or expired. */
  getDocument(key: string): Promise<JsonValue | undefined>;
  /** Writes (replaces) a document. */
  setDocument(key: string, value: JsonValue, options?: SetDocumentOptions): Promise<void>;
  /** Every document whose key starts with `prefix`. */
  scanDocuments(prefix: string): AsyncIterable<readonly [key: string, value: JsonValue]>;
  /** Deletes the counter hash and the document at `key`; true when something was deleted. */
  delete(key: string): Promise<boolean>;
  /** Deletes every counter hash and document whose key starts with `prefix` (everything when omitted). */
  clear(prefix?: string): Promise<void>;
  /** Releases connections and files. Further calls reject with a `StoreError`. */
  close(): Promise<void>;
}
