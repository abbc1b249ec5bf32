import Database from 'better-sqlite3';
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
  type FieldIncrement,
  readIncrements,
} from './internal.js';
import type { CounterIncrement, CounterRecord, JsonValue, SetDocumentOptions, Store } from './spec.js';

/** Options of {@link sqliteStore}. */
export interface SqliteStoreOptions {
  /**
   * The database file. It is created (with its tables) when missing; its directory must exist.
   * Every process that opens the same file shares the same counters and documents.
   */
  readonly path: string;
  /**
   * The clock document TTLs are measured with. Pass a `manualClock()` to drive expiry in tests.
   * Processes sharing one file should use clocks that agree (the system clock).
   * @default systemClock
   */
  readonly clock?: Clock;
  /**
   * How long a write waits for another process's write to finish before it rejects with a
   * retryable {@link StoreError}, in milliseconds.
   * @default 5000
   */
  readonly busyTimeoutMs?: number;
}

/** Defaults of {@link sqliteStore}'s options. */
export const SQLITE_STORE_DEFAULTS = Object.freeze({
  clock: systemClock,
  busyTimeoutMs: 5000,
});

const OPTION_KEYS = ['path', 'clock', 'busyTimeoutMs'] as const;

/** `pragma user_version` of the schema below; a file with another non-zero version is refused. */
const SCHEMA_VERSION = 1;

const SCHEMA = `
create table if not exists counters (
  key text not null,
  field text not null,
  value real not null default 0,
  primary key (key, field)
) without rowid;
create table if not exists documents (
  key text primary key not null,
  value text not null,
  expires_at integer
);
`;

/** Keys read or deleted per statement while scanning, so a scan never holds a statement open across a `yield`. */
const SCAN_PAGE_SIZE = 256;

/**
 * A {@link Store} in one SQLite file, through [better-sqlite3](https://github.com/WiseLibs/better-sqlite3):
 * persistent, embedded (no server), and shared safely by every process on the machine that opens
 * the same file.
 *
 * **Increments are atomic across processes.** Each `increment()` call is one `BEGIN IMMEDIATE`
 * transaction of `insert … on conflict do update set value = value + excluded.value`, so a call
 * applies all of its increments or none, and concurrent calls from any number of processes never
 * lose an update. A write that waits longer than `busyTimeoutMs` for another process rejects with
 * a retryable {@link StoreError} and changes nothing.
 *
 * **Crash safety.** The file is in WAL mode with `synchronous = NORMAL`: a process killed at any
 * point leaves the file readable and every committed call applied (an interrupted call is rolled
 * back when the file is next opened). A power loss or OS crash may lose the last few committed
 * calls, but never corrupts the file or applies part of a call.
 *
 * Counters are stored as 64-bit floats (`real`), like every other store. Documents are stored as
 * JSON text with their expiry time on `clock`; expired documents are never returned and are
 * removed by `delete()` and `clear()`. Scans read in pages by key range, so another store call may
 * run between two items of a scan; they are not isolated from concurrent writes. Calls run
 * synchronously on the calling thread (better-sqlite3 is synchronous), which is fastest for the
 * small reads and writes modelscout makes.
 *
 * @example
 * ```ts
 * const store = sqliteStore({ path: 'modelscout.sqlite' });
 * await store.increment([{ key: 'arm:a', deltas: { pulls: 1, reward: 0.8 } }]);
 * const [record] = await store.readCounters(['arm:a']); // { pulls: 1, reward: 0.8 }
 * await store.close();
 * ```
 */
export function sqliteStore(options: SqliteStoreOptions): Store {
  assertOptions(options, 'options', OPTION_KEYS, false);
  const { path } = options;
  if (typeof path !== 'string' || path.length === 0) {
    throw new InvalidArgumentError({
      argument: 'options.path',
      value: path,
      message: 'must be a non-empty file path',
    });
  }
  assertClock(options.clock, 'options.clock');
  const clock = options.clock ?? SQLITE_STORE_DEFAULTS.clock;
  const busyTimeoutMs = options.busyTimeoutMs ?? SQLITE_STORE_DEFAULTS.busyTimeoutMs;
  if (typeof busyTimeoutMs !== 'number' || !Number.isInteger(busyTimeoutMs) || busyTimeoutMs < 0) {
    throw new InvalidArgumentError({
      argument: 'options.busyTimeoutMs',
      value: busyTimeoutMs,
      message: 'must be an integer number of milliseconds >= 0',
    });
  }

  const db = openDatabase(path, busyTimeoutMs);
  let closed = false;

  const statements = attempt('prepare its statements', () => ({
    incrementField: db.prepare<[string, string, number]>(
      'insert into counters (key, field, value) values (?, ?, ?) ' +
        'on conflict (key, field) do update set value = value + excluded.value',
    ),
    readCounter: db.prepare<[string], CounterRow>('select field, value from counters where key = ?'),
    readCountersOf: db.prepare<[string], KeyedCounterRow>(
      'select key, field, value from counters where key in (select value from json_each(?))',
    ),
    firstCounterKeys: db.prepare<[string, Buffer, number], { key: string }>(
      'select distinct key from counters where key >= ? and key < cast(? as text) order by key limit ?',
    ),
    nextCounterKeys: db.prepare<[string, Buffer, number], { key: string }>(
      'select distinct key from counters where key > ? and key < cast(? as text) order by key limit ?',
    ),
    countersBetween: db.prepare<[string, string], KeyedCounterRow>(
      'select key, field, value from counters where key >= ? and key <= ? order by key',
    ),
    getDocument: db.prepare<[string, number], { value: string }>(
      'select value from documents where key = ? and (expires_at is null or expires_at > ?)',
    ),
    setDocument: db.prepare<[string, string, number | null]>(
      'insert into documents (key, value, expires_at) values (?, ?, ?) ' +
        'on conflict (key) do update set value = excluded.value, expires_at = excluded.expires_at',
    ),
    firstDocuments: db.prepare<[string, Buffer, number, number], DocumentRow>(
      'select key, value from documents where key >= ? and key < cast(? as text) ' +
        'and (expires_at is null or expires_at > ?) order by key limit ?',
    ),
    nextDocuments: db.prepare<[string, Buffer, number, number], DocumentRow>(
      'select key, value from documents where key > ? and key < cast(? as text) ' +
        'and (expires_at is null or expires_at > ?) order by key limit ?',
    ),
    deleteCounter: db.prepare<[string]>('delete from counters where key = ?'),
    deleteDocument: db.prepare<[string], { expires_at: number | null }>(
      'delete from documents where key = ? returning expires_at',
    ),
    clearCounters: db.prepare<[string, Buffer]>(
      'delete from counters where key >= ? and key < cast(? as text)',
    ),
    clearDocuments: db.prepare<[string, Buffer]>(
      'delete from documents where key >= ? and key < cast(? as text)',
    ),
  }));

  const applyIncrements = db.transaction((fields: readonly FieldIncrement[]) => {
    for (let index = 0; index < fields.length; index++) {
      const { key, field, delta } = fields[index] as FieldIncrement;
      statements.incrementField.run(key, field, delta);
    }
  });

  const deleteKey = db.transaction((key: string, now: number): boolean => {
    const counterDeleted = statements.deleteCounter.run(key).changes > 0;
    const document = statements.deleteDocument.get(key);
    const documentDeleted =
      document !== undefined && (document.expires_at === null || document.expires_at > now);
    return counterDeleted || documentDeleted;
  });

  const clearRange = db.transaction((prefix: string, upper: Buffer) => {
    statements.clearCounters.run(prefix, upper);
    statements.clearDocuments.run(prefix, upper);
  });

  function assertOpen(): void {
    if (closed) throw new StoreError({ store: 'sqlite', message: 'the store is closed' });
  }

  /** Runs `operation` on the open database, turning SQLite failures into {@link StoreError}s. */
  function attempt<T>(operation: string, run: () => T): T {
    try {
      return run();
    } catch (error) {
      throw sqliteFailure(operation, error);
    }
  }

  return {
    specificationVersion: 'v1',
    name: 'sqlite',

    async increment(increments: readonly CounterIncrement[]): Promise<void> {
      assertOpen();
      // Validated (and copied) before the transaction starts: an invalid call writes nothing.
      const fields = readIncrements(increments);
      if (fields.length === 0) return;
      attempt('apply an increment (nothing of the call was applied)', () =>
        applyIncrements.immediate(fields),
      );
    },

    async readCounters(keys: readonly string[]): Promise<ReadonlyArray<CounterRecord | undefined>> {
      assertOpen();
      assertKeys(keys);
      if (keys.length === 0) return [];
      if (keys.length === 1) {
        const rows = attempt('read counters', () => statements.readCounter.all(keys[0] as string));
        return [rows.length === 0 ? undefined : recordOf(rows)];
      }
      // One statement, so the records come from one snapshot of the file.
      const rows = attempt('read counters', () => statements.readCountersOf.all(JSON.stringify(keys)));
      const records = new Map<string, Record<string, number>>();
      for (const row of rows) {
        let record = records.get(row.key);
        if (record === undefined) {
          record = {};
          records.set(row.key, record);
        }
        addToField(record, row.field, row.value);
      }
      // A key asked for twice gets two separate copies.
      return keys.map((key) => {
        const record = records.get(key);
        return record === undefined ? undefined : { ...record };
      });
    },

    async *scanCounters(prefix: string): AsyncGenerator<readonly [key: string, record: CounterRecord]> {
      assertOpen();
      assertPrefix(prefix);
      const upper = prefixUpperBound(prefix);
      let after: string | undefined;
      for (;;) {
        assertOpen();
        const lower = after;
        const page = attempt('scan counters', () => {
          const keys =
            lower === undefined
              ? statements.firstCounterKeys.all(prefix, upper, SCAN_PAGE_SIZE)
              : statements.nextCounterKeys.all(lower, upper, SCAN_PAGE_SIZE);
          if (keys.length === 0) return { keys, rows: [] };
          const first = (keys[0] as { key: string }).key;
          const last = (keys[keys.length - 1] as { key: string }).key;
          return { keys, rows: statements.countersBetween.all(first, last) };
        });
        for (const [key, record] of groupByKey(page.rows)) yield [key, record];
        if (page.keys.length < SCAN_PAGE_SIZE) return;
        after = (page.keys[page.keys.length - 1] as { key: string }).key;
      }
    },

    async getDocument(key: string): Promise<JsonValue | undefined> {
      assertOpen();
      assertKey(key);
      const row = attempt('read a document', () => statements.getDocument.get(key, clock.now()));
      return row === undefined ? undefined : parseDocument(key, row.value);
    },

    async setDocument(key: string, value: JsonValue, options?: SetDocumentOptions): Promise<void> {
      assertOpen();
      assertKey(key);
      assertJsonValue(value);
      const expiresAt = expiryTime(options, clock) ?? null;
      const json = JSON.stringify(value);
      attempt('write a document', () => statements.setDocument.run(key, json, expiresAt));
    },

    async *scanDocuments(prefix: string): AsyncGenerator<readonly [key: string, value: JsonValue]> {
      assertOpen();
      assertPrefix(prefix);
      const upper = prefixUpperBound(prefix);
      let after: string | undefined;
      for (;;) {
        assertOpen();
        const lower = after;
        const now = clock.now();
        const rows = attempt('scan documents', () =>
          lower === undefined
            ? statements.firstDocuments.all(prefix, upper, now, SCAN_PAGE_SIZE)
            : statements.nextDocuments.all(lower, upper, now, SCAN_PAGE_SIZE),
        );
        for (const row of rows) yield [row.key, parseDocument(row.key, row.value)];
        if (rows.length < SCAN_PAGE_SIZE) return;
        after = (rows[rows.length - 1] as DocumentRow).key;
      }
    },

    async delete(key: string): Promise<boolean> {
      assertOpen();
      assertKey(key);
      const now = clock.now();
      return attempt('delete a key', () => deleteKey.immediate(key, now));
    },

    async clear(prefix?: string): Promise<void> {
      assertOpen();
      const from = prefix ?? '';
      assertPrefix(from);
      attempt('clear', () => clearRange.immediate(from, prefixUpperBound(from)));
    },

    async close(): Promise<void> {
      // Idempotent: closing twice is harmless; every other call after the first close rejects.
      // Every call runs synchronously to its end, so none is in flight here.
      if (closed) return;
      closed = true;
      attempt('close the database', () => db.close());
    },
  };
}

interface CounterRow {
  readonly field: string;
  readonly value: number;
}

interface KeyedCounterRow extends CounterRow {
  readonly key: string;
}

interface DocumentRow {
  readonly key: string;
  readonly value: string;
}

function openDatabase(path: string, busyTimeoutMs: number): Database.Database {
  let db: Database.Database | undefined;
  try {
    db = new Database(path, { timeout: busyTimeoutMs });
    db.pragma(`busy_timeout = ${busyTimeoutMs}`);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    const opened = db;
    opened
      .transaction(() => {
        const version = opened.pragma('user_version', { simple: true });
        if (version !== 0 && version !== SCHEMA_VERSION) {
          throw new StoreError({
            store: 'sqlite',
            message: `'${path}' has schema version ${String(version)}, this modelscout reads version ${SCHEMA_VERSION}`,
          });
        }
        opened.exec(SCHEMA);
        if (version === 0) opened.pragma(`user_version = ${SCHEMA_VERSION}`);
      })
      .immediate();
    return db;
  } catch (error) {
    db?.close();
    if (StoreError.isInstance(error)) throw error;
    throw sqliteFailure(`open '${path}'`, error);
  }
}

/** SQLite result codes that mean another connection held a lock: trying again may succeed. */
const RETRYABLE_CODES = new Set([
  'SQLITE_BUSY',
  'SQLITE_LOCKED',
  'SQLITE_BUSY_SNAPSHOT',
  'SQLITE_BUSY_RECOVERY',
]);

function sqliteFailure(operation: string, cause: unknown): StoreError {
  if (StoreError.isInstance(cause)) return cause;
  const code = (cause as { code?: unknown } | null)?.code;
  const reason = cause instanceof Error ? `: ${cause.message}` : '';
  return new StoreError({
    store: 'sqlite',
    message: `SQLite failed to ${operation}${reason}`,
    cause,
    isRetryable: typeof code === 'string' && RETRYABLE_CODES.has(code),
  });
}

/**
 * The smallest text (as UTF-8 bytes, which SQLite compares with `memcmp`) greater than every key
 * that starts with `prefix`: the prefix's bytes with the last one incremented. Valid UTF-8 never
 * contains 0xFF, so that byte cannot overflow, and the empty prefix gets 0xFF, above every key.
 * It is bound as a blob and cast to text, because it need not be valid UTF-8.
 */
function prefixUpperBound(prefix: string): Buffer {
  const bytes = Buffer.from(prefix, 'utf8');
  if (bytes.length === 0) return Buffer.from([0xff]);
  bytes[bytes.length - 1] = (bytes[bytes.length - 1] as number) + 1;
  return bytes;
}

function recordOf(rows: readonly CounterRow[]): CounterRecord {
  const record: Record<string, number> = {};
  for (const row of rows) addToField(record, row.field, row.value);
  return record;
}

/** Groups rows sorted by key into one record per key. */
function groupByKey(rows: readonly KeyedCounterRow[]): Array<[string, CounterRecord]> {
  const groups: Array<[string, CounterRecord]> = [];
  let currentKey: string | undefined;
  let current: Record<string, number> = {};
  for (const row of rows) {
    if (row.key !== currentKey) {
      currentKey = row.key;
      current = {};
      groups.push([row.key, current]);
    }
    addToField(current, row.field, row.value);
  }
  return groups;
}

function parseDocument(key: string, json: string): JsonValue {
  try {
    return JSON.parse(json) as JsonValue;
  } catch (error) {
    throw new StoreError({
      store: 'sqlite',
      message: `the document at '${key}' is not valid JSON`,
      cause: error,
    });
  }
}
