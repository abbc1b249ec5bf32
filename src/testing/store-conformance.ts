import assert from 'node:assert/strict';
import type { ManualClock } from '../clock/manual-clock.js';
import { manualClock } from '../clock/manual-clock.js';
import { InvalidArgumentError } from '../errors/invalid-argument-error.js';
import { StoreError } from '../errors/store-error.js';
import type { CounterIncrement, CounterRecord, JsonValue, Store } from '../store/spec.js';
import type { ConformanceTestRunner } from './conformance-test-runner.js';

/** The runner {@link storeConformance} registers its tests with. */
export type StoreConformanceRunner = ConformanceTestRunner;

/** What a store supports beyond the required minimum, so the suite can leave out tests that do not apply. */
export interface StoreConformanceCapabilities {
  /** Whether `setDocument` honours `ttlMs` (measured on the clock passed to `create`). @default true */
  readonly ttl?: boolean;
  /**
   * Whether `increment` applies a call with a given `batchId` at most once (see
   * `IncrementOptions.batchId`); stores whose failures can leave a write in doubt must.
   * @default false
   */
  readonly deduplicatesBatches?: boolean;
}

/** The store implementation under test. */
export interface StoreConformanceSubject {
  /** Shown in every test name, e.g. `'memoryStore'` or `'keyvStore (sqlite)'`. */
  readonly name: string;
  /**
   * Creates a fresh, empty store for one test. The store must measure time (TTLs) on `clock`,
   * which starts at {@link STORE_CONFORMANCE_START_TIME} and only moves when a test advances it.
   * Every test closes its store at the end.
   */
  readonly create: (options: { clock: ManualClock }) => Store | Promise<Store>;
  /** What the store supports. @default { ttl: true, deduplicatesBatches: false } */
  readonly capabilities?: StoreConformanceCapabilities;
  /** Registers only these groups of tests. @default STORE_CONFORMANCE_GROUPS (all of them) */
  readonly groups?: readonly StoreConformanceGroup[];
}

/** The groups of tests in {@link storeConformance}, in the order they are registered. */
export const STORE_CONFORMANCE_GROUPS = Object.freeze([
  'counters',
  'scans',
  'documents',
  'ttl',
  'delete and clear',
  'input validation',
  'close',
] as const);

/** One group of tests in {@link storeConformance}. */
export type StoreConformanceGroup = (typeof STORE_CONFORMANCE_GROUPS)[number];

/** The time (milliseconds since the epoch) the manual clock passed to `create` starts at: 2030-01-01. */
export const STORE_CONFORMANCE_START_TIME = Date.UTC(2030, 0, 1);

type TestBody = (store: Store, clock: ManualClock) => Promise<void>;

/**
 * Registers the conformance tests of the {@link Store} plug-in point with `runner.test`. Every
 * store implementation must pass them. Assertions use `node:assert/strict`, so the suite runs
 * under any test runner.
 *
 * @example
 * ```ts
 * import { test } from 'vitest';
 * import { storeConformance } from 'modelscout/testing';
 *
 * storeConformance({ test }, { name: 'myStore', create: ({ clock }) => myStore({ clock }) });
 * ```
 */
export function storeConformance(runner: StoreConformanceRunner, subject: StoreConformanceSubject): void {
  const groups = new Set<StoreConformanceGroup>(subject.groups ?? STORE_CONFORMANCE_GROUPS);
  if (subject.capabilities?.ttl === false) groups.delete('ttl');

  function define(group: StoreConformanceGroup, name: string, body: TestBody): void {
    if (!groups.has(group)) return;
    runner.test(`${subject.name} › ${group} › ${name}`, async () => {
      const clock = manualClock(STORE_CONFORMANCE_START_TIME);
      const store = await subject.create({ clock });
      try {
        await body(store, clock);
      } finally {
        await store.close();
      }
    });
  }

  defineCounterTests(define);
  if (subject.capabilities?.deduplicatesBatches === true) defineBatchTests(define);
  defineScanTests(define);
  defineDocumentTests(define);
  defineTimeToLiveTests(define);
  defineDeleteAndClearTests(define);
  defineInputValidationTests(define);
  defineCloseTests(runner, subject, groups);
}

type Define = (group: StoreConformanceGroup, name: string, body: TestBody) => void;

function defineCounterTests(define: Define): void {
  define('counters', 'increment creates a missing hash whose fields start at 0', async (store) => {
    await store.increment([{ key: 'arm:a', deltas: { pulls: 2, reward: -1, zero: 0 } }]);
    assert.deepStrictEqual(await store.readCounters(['arm:a']), [{ pulls: 2, reward: -1, zero: 0 }]);
  });

  define('counters', 'increments add up and new fields join an existing hash', async (store) => {
    await store.increment([{ key: 'arm:a', deltas: { pulls: 1 } }]);
    await store.increment([{ key: 'arm:a', deltas: { pulls: 2, reward: 5 } }]);
    await store.increment([{ key: 'arm:a', deltas: { pulls: 3 } }]);
    assert.deepStrictEqual(await store.readCounters(['arm:a']), [{ pulls: 6, reward: 5 }]);
  });

  define('counters', 'negative and fractional deltas', async (store) => {
    for (const delta of [0.5, -1.25, 0.25, -3]) {
      await store.increment([{ key: 'k', deltas: { exact: delta } }]);
    }
    for (const delta of [0.1, 0.2]) {
      await store.increment([{ key: 'k', deltas: { decimal: delta } }]);
    }
    const [record] = await store.readCounters(['k']);
    assert.ok(record !== undefined);
    assert.equal(record.exact, -3.5);
    assert.ok(Math.abs((record.decimal ?? Number.NaN) - 0.3) < 1e-12, `decimal = ${record.decimal}`);
  });

  define('counters', 'one call increments many keys, including one key twice', async (store) => {
    const increments: CounterIncrement[] = [];
    for (let index = 0; index < 50; index++) {
      increments.push({ key: `many:${index}`, deltas: { n: index, one: 1 } });
    }
    increments.push({ key: 'many:7', deltas: { n: 100 } });
    await store.increment(increments);
    const keys = increments.slice(0, 50).map((increment) => increment.key);
    const records = await store.readCounters(keys);
    assert.equal(records.length, 50);
    records.forEach((record, index) => {
      assert.deepStrictEqual(record, { n: index === 7 ? 107 : index, one: 1 }, `many:${index}`);
    });
  });

  define(
    'counters',
    'readCounters keeps the order of keys and returns undefined for unknown keys',
    async (store) => {
      await store.increment([
        { key: 'a', deltas: { n: 1 } },
        { key: 'b', deltas: { n: 2 } },
      ]);
      assert.deepStrictEqual(await store.readCounters(['b', 'missing', 'a', 'b']), [
        { n: 2 },
        undefined,
        { n: 1 },
        { n: 2 },
      ]);
      assert.deepStrictEqual(await store.readCounters(['never']), [undefined]);
      assert.deepStrictEqual(await store.readCounters([]), []);
    },
  );

  define('counters', '1,000 concurrent increment() calls to the same field lose nothing', async (store) => {
    const calls: Promise<void>[] = [];
    for (let index = 0; index < 1000; index++) {
      calls.push(store.increment([{ key: 'hot', deltas: { count: 1, sum: index } }]));
    }
    await Promise.all(calls);
    assert.deepStrictEqual(await store.readCounters(['hot']), [{ count: 1000, sum: 499_500 }]);
  });

  define('counters', 'concurrent calls that each touch several keys lose nothing', async (store) => {
    const calls: Promise<void>[] = [];
    for (let index = 0; index < 200; index++) {
      calls.push(
        store.increment([
          { key: 'left', deltas: { n: 1 } },
          { key: 'right', deltas: { n: 2 } },
          { key: 'left', deltas: { m: 3 } },
        ]),
      );
    }
    await Promise.all(calls);
    assert.deepStrictEqual(await store.readCounters(['left', 'right']), [{ n: 200, m: 600 }, { n: 400 }]);
  });

  define(
    'counters',
    'a call that rejects applies none of its increments, and retrying it applies them once',
    async (store) => {
      await store.increment([{ key: 'existing', deltas: { n: 5 } }]);
      const valid: CounterIncrement[] = [
        { key: 'existing', deltas: { n: 1, added: 2 } },
        { key: 'fresh', deltas: { n: 3 } },
      ];
      for (let index = 0; index < 100; index++) valid.push({ key: `bulk:${index}`, deltas: { n: 1 } });
      const invalidLast: [string, unknown][] = [
        ['a NaN delta', { key: 'fresh', deltas: { m: Number.NaN } }],
        ['an infinite delta', { key: 'other', deltas: { n: Number.POSITIVE_INFINITY } }],
        ['an empty key', { key: '', deltas: { n: 1 } }],
        ['deltas that are not an object', { key: 'existing', deltas: 1 }],
        ['an increment that is not an object', null],
      ];
      for (const [label, invalid] of invalidLast) {
        const increments = [...valid, invalid] as CounterIncrement[];
        await assert.rejects(store.increment(increments), isInvalidArgument, label);
        assert.deepStrictEqual(
          await store.readCounters(['existing', 'fresh', 'other', 'bulk:0', 'bulk:99']),
          [{ n: 5 }, undefined, undefined, undefined, undefined],
          `after a call with ${label}, part of it was applied`,
        );
      }
      assert.deepStrictEqual(await collect(store.scanCounters('')), [['existing', { n: 5 }]]);
      await store.increment(valid);
      assert.deepStrictEqual(await store.readCounters(['existing', 'fresh', 'bulk:0', 'bulk:99']), [
        { n: 6, added: 2 },
        { n: 3 },
        { n: 1 },
        { n: 1 },
      ]);
    },
  );

  define('counters', 'returned records are not live views of the store', async (store) => {
    const deltas = { n: 1 };
    await store.increment([{ key: 'k', deltas }]);
    deltas.n = 1000;
    const [first] = await store.readCounters(['k']);
    await store.increment([{ key: 'k', deltas: { n: 1 } }]);
    assert.deepStrictEqual(first, { n: 1 }, 'a record read earlier changed after an increment');
    mutateUnlessFrozen(first as Record<string, number> | undefined, (record) => {
      record.n = 500;
    });
    const scanned = await collect(store.scanCounters('k'));
    mutateUnlessFrozen(scanned[0]?.[1] as Record<string, number> | undefined, (record) => {
      record.n = 700;
    });
    assert.deepStrictEqual(await store.readCounters(['k']), [{ n: 2 }]);
  });

  define('counters', 'field names that are Object.prototype members are ordinary fields', async (store) => {
    const deltas = JSON.parse('{"__proto__": 1, "constructor": 2, "toString": 3, "hasOwnProperty": 4}');
    await store.increment([{ key: 'k', deltas }]);
    await store.increment([{ key: 'k', deltas }]);
    const [record] = await store.readCounters(['k']);
    assert.ok(record !== undefined);
    assert.deepStrictEqual(sortedEntries(record), [
      ['__proto__', 2],
      ['constructor', 4],
      ['hasOwnProperty', 8],
      ['toString', 6],
    ]);
    assert.equal(Object.getPrototypeOf(record), Object.prototype);
  });
}

function defineBatchTests(define: Define): void {
  define('counters', 'the same batchId applied twice counts once', async (store) => {
    const batch: CounterIncrement[] = [
      { key: 'batch:a', deltas: { n: 1, sum: 0.5 } },
      { key: 'batch:b', deltas: { n: 2 } },
    ];
    await store.increment(batch, { batchId: 'batch-1' });
    await store.increment(batch, { batchId: 'batch-1' });
    assert.deepStrictEqual(await store.readCounters(['batch:a', 'batch:b']), [{ n: 1, sum: 0.5 }, { n: 2 }]);
    // Concurrent retries of one batch also apply it once.
    await Promise.all([1, 2, 3, 4].map(() => store.increment(batch, { batchId: 'batch-2' })));
    assert.deepStrictEqual(await store.readCounters(['batch:a', 'batch:b']), [{ n: 2, sum: 1 }, { n: 4 }]);
  });

  define('counters', 'different batch ids all count, and calls without one always count', async (store) => {
    const batch: CounterIncrement[] = [{ key: 'batch:a', deltas: { n: 1 } }];
    await store.increment(batch, { batchId: 'batch-1' });
    await store.increment(batch, { batchId: 'batch-2' });
    await store.increment(batch);
    await store.increment(batch);
    await store.increment(batch, {});
    assert.deepStrictEqual(await store.readCounters(['batch:a']), [{ n: 5 }]);
  });

  define(
    'counters',
    'a rejected call does not use up its batchId: a valid retry with the same id applies',
    async (store) => {
      const valid: CounterIncrement[] = [
        { key: 'batch:a', deltas: { n: 1 } },
        { key: 'batch:b', deltas: { n: 1 } },
      ];
      const invalid = [...valid, { key: 'batch:c', deltas: { n: Number.NaN } }];
      await assert.rejects(store.increment(invalid, { batchId: 'batch-1' }), isInvalidArgument);
      assert.deepStrictEqual(await store.readCounters(['batch:a', 'batch:b']), [undefined, undefined]);
      await store.increment(valid, { batchId: 'batch-1' });
      await store.increment(valid, { batchId: 'batch-1' });
      assert.deepStrictEqual(await store.readCounters(['batch:a', 'batch:b']), [{ n: 1 }, { n: 1 }]);
    },
  );
}

function defineScanTests(define: Define): void {
  define(
    'scans',
    'scanCounters yields exactly the hashes whose key starts with the prefix',
    async (store) => {
      for (const key of ['arm:a', 'arm:b', 'armada', 'other:arm:c']) {
        await store.increment([{ key, deltas: { n: key.length } }]);
      }
      await store.setDocument('arm:document', 'not a counter');
      assert.deepStrictEqual(sortedByKey(await collect(store.scanCounters('arm:'))), [
        ['arm:a', { n: 5 }],
        ['arm:b', { n: 5 }],
      ]);
      assert.deepStrictEqual(
        sortedByKey(await collect(store.scanCounters(''))).map(([key]) => key),
        ['arm:a', 'arm:b', 'armada', 'other:arm:c'],
      );
      assert.deepStrictEqual(await collect(store.scanCounters('none:')), []);
    },
  );

  define(
    'scans',
    'scanDocuments yields exactly the documents whose key starts with the prefix',
    async (store) => {
      await store.setDocument('model:a', { size: 1 });
      await store.setDocument('model:b', [1, 2]);
      await store.setDocument('modelling', 'x');
      await store.setDocument('x:model:c', null);
      await store.increment([{ key: 'model:counter', deltas: { n: 1 } }]);
      assert.deepStrictEqual(sortedByKey(await collect(store.scanDocuments('model:'))), [
        ['model:a', { size: 1 }],
        ['model:b', [1, 2]],
      ]);
      assert.deepStrictEqual(
        sortedByKey(await collect(store.scanDocuments(''))).map(([key]) => key),
        ['model:a', 'model:b', 'modelling', 'x:model:c'],
      );
    },
  );

  define('scans', "keys with ':' and unicode are kept exactly", async (store) => {
    const keys = ['modèle:日本語:🚀', 'modèle:ß:a:b:c', 'model:plain', ':leading', 'trailing:'];
    for (const key of keys) {
      await store.increment([{ key, deltas: { n: 1 } }]);
      await store.setDocument(key, key);
    }
    assert.deepStrictEqual(
      sortedByKey(await collect(store.scanCounters('modèle:'))).map(([key]) => key),
      ['modèle:ß:a:b:c', 'modèle:日本語:🚀'],
    );
    assert.deepStrictEqual(sortedByKey(await collect(store.scanDocuments('modèle:日'))), [
      ['modèle:日本語:🚀', 'modèle:日本語:🚀'],
    ]);
    assert.deepStrictEqual(
      sortedByKey(await collect(store.scanDocuments(''))).map(([key, value]) => [key, value]),
      [...keys].sort().map((key) => [key, key]),
    );
    assert.deepStrictEqual(await collect(store.scanCounters(':')), [[':leading', { n: 1 }]]);
    assert.deepStrictEqual(
      await store.readCounters(keys),
      keys.map(() => ({ n: 1 })),
    );
  });

  define('scans', 'prefixes are literal, not patterns', async (store) => {
    for (const key of ['p*[x]?.:1', 'p*[x]?.:2', 'pa[x]b.:3', 'p%_x:4', 'p\\x:5']) {
      await store.increment([{ key, deltas: { n: 1 } }]);
      await store.setDocument(key, true);
    }
    assert.deepStrictEqual(
      sortedByKey(await collect(store.scanCounters('p*[x]?.:'))).map(([key]) => key),
      ['p*[x]?.:1', 'p*[x]?.:2'],
    );
    assert.deepStrictEqual(
      (await collect(store.scanDocuments('p%_'))).map(([key]) => key),
      ['p%_x:4'],
    );
    assert.deepStrictEqual(
      (await collect(store.scanDocuments('p\\'))).map(([key]) => key),
      ['p\\x:5'],
    );
  });
}

function defineDocumentTests(define: Define): void {
  define('documents', 'nested JSON round-trips', async (store) => {
    const document: JsonValue = {
      name: 'résumé 日本 🚀',
      empty: '',
      colon: ':x',
      encoded: ':base64:AAAA',
      integer: 42,
      negative: -2.5,
      large: 1.7976931348623157e308,
      tiny: 5e-324,
      flags: [true, false, null],
      nested: { deep: { deeper: [[], {}, [1, [2, [3]]]] } },
      list: [{ a: 1 }, { b: [null] }],
    };
    await store.setDocument('doc', document);
    assert.deepStrictEqual(await store.getDocument('doc'), document);
    for (const [key, value] of [
      ['null', null],
      ['zero', 0],
      ['false', false],
      ['empty-string', ''],
      ['empty-array', []],
      ['number', 3.25],
    ] as const) {
      await store.setDocument(key, value);
      assert.deepStrictEqual(await store.getDocument(key), value, key);
    }
    assert.equal(await store.getDocument('missing'), undefined);
  });

  define('documents', 'setDocument replaces the whole value', async (store) => {
    await store.setDocument('doc', { a: 1, b: { c: 2 } });
    await store.setDocument('doc', { b: { d: 3 } });
    assert.deepStrictEqual(await store.getDocument('doc'), { b: { d: 3 } });
    await store.setDocument('doc', 'now a string');
    assert.equal(await store.getDocument('doc'), 'now a string');
  });

  define(
    'documents',
    'non-JSON values are rejected with InvalidArgumentError and change nothing',
    async (store) => {
      const circular: Record<string, unknown> = { a: 1 };
      circular.self = circular;
      const holey: unknown[] = new Array(3);
      holey[0] = 1;
      holey[2] = 3;
      const nonJson: [string, unknown][] = [
        ['undefined', undefined],
        ['a function', () => 1],
        ['NaN', Number.NaN],
        ['Infinity', Number.POSITIVE_INFINITY],
        ['a bigint', 10n],
        ['a symbol', Symbol('s')],
        ['a nested undefined', { a: { b: undefined } }],
        ['an undefined array element', [1, undefined]],
        ['an array hole', holey],
        ['a nested function', { method() {} }],
        ['a nested NaN', [{ x: Number.NaN }]],
        ['a Date', new Date(0)],
        ['a Map', new Map([['a', 1]])],
        ['a circular object', circular],
      ];
      await store.setDocument('kept', { original: true });
      for (const [label, value] of nonJson) {
        await assert.rejects(store.setDocument('bad', value as JsonValue), isInvalidArgument, label);
        await assert.rejects(store.setDocument('kept', value as JsonValue), isInvalidArgument, label);
      }
      assert.equal(await store.getDocument('bad'), undefined);
      assert.deepStrictEqual(await store.getDocument('kept'), { original: true });
    },
  );

  define(
    'documents',
    'mutating a value after setDocument or after getDocument does not change the store',
    async (store) => {
      const value = { list: [1, 2], nested: { n: 1 } };
      await store.setDocument('doc', value);
      value.list.push(3);
      value.nested.n = 99;
      const read = await store.getDocument('doc');
      assert.deepStrictEqual(read, { list: [1, 2], nested: { n: 1 } });
      mutateUnlessFrozen((read as { nested?: { n: number } } | undefined)?.nested, (nested) => {
        nested.n = 42;
      });
      const scanned = await collect(store.scanDocuments('doc'));
      assert.equal(scanned.length, 1);
      mutateUnlessFrozen((scanned[0]?.[1] as { list?: number[] } | undefined)?.list, (list) => {
        list.push(4);
      });
      assert.deepStrictEqual(await store.getDocument('doc'), { list: [1, 2], nested: { n: 1 } });
    },
  );

  define('documents', 'counters and documents are separate key spaces', async (store) => {
    await store.increment([{ key: 'shared', deltas: { n: 1 } }]);
    await store.setDocument('shared', { document: true });
    await store.setDocument('document-only', 1);
    await store.increment([{ key: 'counter-only', deltas: { n: 1 } }]);
    assert.deepStrictEqual(await store.readCounters(['shared', 'document-only']), [{ n: 1 }, undefined]);
    assert.deepStrictEqual(await store.getDocument('shared'), { document: true });
    assert.equal(await store.getDocument('counter-only'), undefined);
  });
}

function defineTimeToLiveTests(define: Define): void {
  define(
    'ttl',
    'a document is present until ttlMs has passed on the clock, then gone',
    async (store, clock) => {
      await store.setDocument('session', { user: 'a' }, { ttlMs: 1000 });
      await store.setDocument('forever', 'stays');
      clock.advance(999);
      assert.deepStrictEqual(await store.getDocument('session'), { user: 'a' });
      clock.advance(2);
      assert.equal(await store.getDocument('session'), undefined);
      clock.advance(10 * 365 * 24 * 3600 * 1000);
      assert.equal(await store.getDocument('forever'), 'stays');
    },
  );

  define('ttl', 'expired documents are not scanned', async (store, clock) => {
    await store.setDocument('p:short', 1, { ttlMs: 100 });
    await store.setDocument('p:long', 2, { ttlMs: 10_000 });
    await store.setDocument('p:forever', 3);
    assert.equal((await collect(store.scanDocuments('p:'))).length, 3);
    clock.advance(101);
    assert.deepStrictEqual(sortedByKey(await collect(store.scanDocuments('p:'))), [
      ['p:forever', 3],
      ['p:long', 2],
    ]);
  });

  define('ttl', 'replacing a document replaces its TTL', async (store, clock) => {
    await store.setDocument('a', 'with ttl', { ttlMs: 100 });
    await store.setDocument('a', 'without ttl');
    await store.setDocument('b', 'without ttl');
    await store.setDocument('b', 'with ttl', { ttlMs: 100 });
    await store.setDocument('c', 'short', { ttlMs: 100 });
    clock.advance(50);
    await store.setDocument('c', 'renewed', { ttlMs: 100 });
    clock.advance(75);
    assert.equal(await store.getDocument('a'), 'without ttl');
    assert.equal(await store.getDocument('b'), undefined);
    assert.equal(await store.getDocument('c'), 'renewed');
  });

  define('ttl', 'deleting an expired document returns false', async (store, clock) => {
    await store.setDocument('gone', 1, { ttlMs: 10 });
    clock.advance(11);
    assert.equal(await store.delete('gone'), false);
  });

  define('ttl', 'ttlMs must be a finite number > 0', async (store) => {
    for (const ttlMs of [0, -1, Number.NaN, Number.POSITIVE_INFINITY]) {
      await assert.rejects(store.setDocument('doc', 1, { ttlMs }), isInvalidArgument, `ttlMs ${ttlMs}`);
    }
    assert.equal(await store.getDocument('doc'), undefined);
  });
}

function defineDeleteAndClearTests(define: Define): void {
  define('delete and clear', 'delete removes the counter hash and the document at a key', async (store) => {
    await store.increment([{ key: 'both', deltas: { n: 1 } }]);
    await store.setDocument('both', 'document');
    await store.increment([{ key: 'counter', deltas: { n: 1 } }]);
    await store.setDocument('document', 'document');
    assert.equal(await store.delete('both'), true);
    assert.equal(await store.delete('counter'), true);
    assert.equal(await store.delete('document'), true);
    assert.deepStrictEqual(await store.readCounters(['both', 'counter']), [undefined, undefined]);
    assert.equal(await store.getDocument('both'), undefined);
    assert.equal(await store.getDocument('document'), undefined);
    assert.equal(await store.delete('both'), false, 'a second delete');
    assert.equal(await store.delete('never'), false);
  });

  define(
    'delete and clear',
    'delete leaves other keys alone, and a deleted hash starts again at 0',
    async (store) => {
      for (const key of ['k', 'k:child', 'k2', 'prefix:k']) {
        await store.increment([{ key, deltas: { n: 1 } }]);
        await store.setDocument(key, key);
      }
      await store.delete('k');
      assert.deepStrictEqual(await store.readCounters(['k', 'k:child', 'k2', 'prefix:k']), [
        undefined,
        { n: 1 },
        { n: 1 },
        { n: 1 },
      ]);
      assert.deepStrictEqual(
        sortedByKey(await collect(store.scanDocuments(''))).map(([key]) => key),
        ['k2', 'k:child', 'prefix:k'],
      );
      await store.increment([{ key: 'k', deltas: { m: 5 } }]);
      assert.deepStrictEqual(await store.readCounters(['k']), [{ m: 5 }]);
    },
  );

  define(
    'delete and clear',
    'clear(prefix) removes only counters and documents under the prefix',
    async (store) => {
      for (const key of ['app:a', 'app:b:c', 'apple', 'other']) {
        await store.increment([{ key, deltas: { n: 1 } }]);
        await store.setDocument(key, key);
      }
      await store.clear('app:');
      assert.deepStrictEqual(
        sortedByKey(await collect(store.scanCounters(''))).map(([key]) => key),
        ['apple', 'other'],
      );
      assert.deepStrictEqual(
        sortedByKey(await collect(store.scanDocuments(''))).map(([key]) => key),
        ['apple', 'other'],
      );
      await store.clear('nothing:');
      assert.deepStrictEqual(await store.readCounters(['apple', 'other']), [{ n: 1 }, { n: 1 }]);
    },
  );

  define('delete and clear', 'clear() removes everything and the store stays usable', async (store) => {
    for (const key of ['a', 'b:c', 'ü']) {
      await store.increment([{ key, deltas: { n: 1 } }]);
      await store.setDocument(key, key);
    }
    await store.clear();
    assert.deepStrictEqual(await collect(store.scanCounters('')), []);
    assert.deepStrictEqual(await collect(store.scanDocuments('')), []);
    assert.deepStrictEqual(await store.readCounters(['a', 'b:c', 'ü']), [undefined, undefined, undefined]);
    await store.increment([{ key: 'a', deltas: { n: 2 } }]);
    await store.setDocument('a', 'again');
    assert.deepStrictEqual(await store.readCounters(['a']), [{ n: 2 }]);
    assert.equal(await store.getDocument('a'), 'again');
    await store.clear('');
    assert.deepStrictEqual(await store.readCounters(['a']), [undefined]);
    assert.equal(await store.getDocument('a'), undefined);
  });
}

function defineInputValidationTests(define: Define): void {
  define(
    'input validation',
    'non-finite or non-numeric deltas are rejected and the call changes nothing',
    async (store) => {
      const invalidDeltas: unknown[] = [
        Number.NaN,
        Number.POSITIVE_INFINITY,
        Number.NEGATIVE_INFINITY,
        '1',
        null,
        undefined,
      ];
      for (const delta of invalidDeltas) {
        const increments = [
          { key: 'valid', deltas: { n: 1 } },
          { key: 'invalid', deltas: { ok: 1, bad: delta } },
        ] as unknown as CounterIncrement[];
        await assert.rejects(store.increment(increments), isInvalidArgument, `delta ${String(delta)}`);
      }
      assert.deepStrictEqual(await store.readCounters(['valid', 'invalid']), [undefined, undefined]);
    },
  );

  define('input validation', 'an empty key is rejected by every method that takes a key', async (store) => {
    await assert.rejects(store.increment([{ key: '', deltas: { n: 1 } }]), isInvalidArgument, 'increment');
    await assert.rejects(store.readCounters(['a', '']), isInvalidArgument, 'readCounters');
    await assert.rejects(store.getDocument(''), isInvalidArgument, 'getDocument');
    await assert.rejects(store.setDocument('', 1), isInvalidArgument, 'setDocument');
    await assert.rejects(store.delete(''), isInvalidArgument, 'delete');
    assert.deepStrictEqual(await collect(store.scanCounters('')), []);
    assert.deepStrictEqual(await collect(store.scanDocuments('')), []);
  });

  define('input validation', 'malformed increments are rejected', async (store) => {
    const malformed: unknown[] = [
      null,
      'increments',
      [null],
      [{ key: 'k' }],
      [{ key: 'k', deltas: null }],
      [{ key: 7, deltas: { n: 1 } }],
    ];
    for (const increments of malformed) {
      await assert.rejects(
        store.increment(increments as CounterIncrement[]),
        isInvalidArgument,
        JSON.stringify(increments),
      );
    }
    assert.deepStrictEqual(await store.readCounters(['k']), [undefined]);
  });
}

function defineCloseTests(
  runner: StoreConformanceRunner,
  subject: StoreConformanceSubject,
  groups: ReadonlySet<StoreConformanceGroup>,
): void {
  if (!groups.has('close')) return;
  runner.test(`${subject.name} › close › every call after close() rejects with a StoreError`, async () => {
    const store = await subject.create({ clock: manualClock(STORE_CONFORMANCE_START_TIME) });
    await store.increment([{ key: 'k', deltas: { n: 1 } }]);
    await store.setDocument('k', 1);
    await store.close();
    const calls: [string, () => Promise<unknown>][] = [
      ['increment', () => store.increment([{ key: 'k', deltas: { n: 1 } }])],
      ['readCounters', () => store.readCounters(['k'])],
      ['scanCounters', () => collect(store.scanCounters(''))],
      ['getDocument', () => store.getDocument('k')],
      ['setDocument', () => store.setDocument('k', 2)],
      ['scanDocuments', () => collect(store.scanDocuments(''))],
      ['delete', () => store.delete('k')],
      ['clear', () => store.clear()],
    ];
    for (const [method, call] of calls) {
      let promise: Promise<unknown>;
      try {
        promise = call();
      } catch (error) {
        assert.fail(`${method} threw synchronously instead of rejecting: ${String(error)}`);
      }
      await assert.rejects(promise, isStoreError, method);
    }
  });

  runner.test(`${subject.name} › close › calls started before close() complete`, async () => {
    const store = await subject.create({ clock: manualClock(STORE_CONFORMANCE_START_TIME) });
    const calls: Promise<unknown>[] = [];
    for (let index = 0; index < 100; index++) {
      calls.push(store.increment([{ key: 'k', deltas: { n: 1 } }]));
      calls.push(store.setDocument(`document:${index}`, index));
    }
    calls.push(store.readCounters(['k']));
    const closing = store.close();
    await Promise.all(calls);
    await closing;
    await assert.rejects(store.readCounters(['k']), isStoreError);
  });
}

function isInvalidArgument(error: unknown): boolean {
  if (InvalidArgumentError.isInstance(error)) return true;
  assert.fail(`expected an InvalidArgumentError, got ${describe(error)}`);
}

function isStoreError(error: unknown): boolean {
  if (StoreError.isInstance(error)) return true;
  assert.fail(`expected a StoreError, got ${describe(error)}`);
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

/**
 * Changes a record or document a store handed out, to check the store does not see the change.
 * A frozen value is as good as a copy, so it is left alone.
 */
function mutateUnlessFrozen<T extends object>(target: T | undefined, mutate: (target: T) => void): void {
  assert.ok(target !== undefined, 'the value to mutate is missing');
  if (!Object.isFrozen(target)) mutate(target);
}

async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of iterable) items.push(item);
  return items;
}

function sortedByKey<T extends readonly [string, unknown]>(entries: T[]): T[] {
  return [...entries].sort(([left], [right]) => (left < right ? -1 : left > right ? 1 : 0));
}

function sortedEntries(record: CounterRecord): [string, number][] {
  return sortedByKey(Object.entries(record));
}
