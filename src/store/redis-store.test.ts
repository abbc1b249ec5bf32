// redisStore against a real Redis: the URL comes from test/global-setup.ts (MODELSCOUT_REDIS_URL,
// else redis://127.0.0.1:6390, else a private redis-server). Every store gets its own random key
// prefix, so test files running in parallel never see each other's keys. Tests that stop Redis
// start their own private server (src/store/testing/redis-server.ts).
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createServer, type Server, type Socket } from 'node:net';
import { fileURLToPath } from 'node:url';
import { inspect } from 'node:util';
import { createClient } from '@redis/client';
import { afterAll, beforeAll, describe, inject, test } from 'vitest';
import { manualClock } from '../clock/manual-clock.js';
import { InvalidArgumentError } from '../errors/invalid-argument-error.js';
import { StoreError } from '../errors/store-error.js';
import type { StoreErrorEvent } from '../events.js';
import { createScout, type Outcome, type Scout } from '../scout.js';
import { createSelector } from '../selection/create-selector.js';
import { storeConformance } from '../testing/store-conformance.js';
import { memoryStore } from './memory-store.js';
import { REDIS_STORE_DEFAULTS, type RedisStoreOptions, redisStore } from './redis-store.js';
import type { CounterIncrement, CounterRecord, Store } from './spec.js';
import { WORKER_MODELS, workerTotals } from './testing/redis-outcomes.js';
import {
  freePort,
  pingRedisUrl,
  type RedisServer,
  redisAddress,
  startCuttingProxy,
  startRedisServer,
} from './testing/redis-server.js';

const redisUrl = inject('redisUrl');
const redisProblem = inject('redisProblem');
const WORKER = fileURLToPath(new URL('./testing/redis-outcome-worker.ts', import.meta.url));
const CLOSE_WORKER = fileURLToPath(new URL('./testing/redis-close-worker.ts', import.meta.url));
const SOURCE_ROOT = fileURLToPath(new URL('..', import.meta.url));

/** Every key this file writes starts with this. */
const RUN_PREFIX = `modelscout-test:${randomUUID()}:`;
let stores = 0;

/** A key prefix no other store of this run (or of another run) uses. */
function freshPrefix(): string {
  stores++;
  return `${RUN_PREFIX}${stores}:`;
}

/** A store on the test Redis with a prefix of its own. */
function freshStore(options: Partial<RedisStoreOptions> = {}): Store {
  return redisStore({ url: redisUrl, prefix: freshPrefix(), ...options });
}

type RawClient = ReturnType<typeof createClient>;
let raw: RawClient;

beforeAll(async () => {
  if (redisProblem !== '') throw new Error(redisProblem);
  raw = createClient({ url: redisUrl });
  raw.on('error', () => undefined);
  await raw.connect();
});

afterAll(async () => {
  if (raw === undefined) return;
  // Whatever the tests left behind (the conformance suite closes its stores without clearing).
  for await (const keys of raw.scanIterator({ MATCH: `${escapeGlob(RUN_PREFIX)}*`, COUNT: 1000 })) {
    if (keys.length > 0) await raw.unlink(keys);
  }
  raw.destroy();
});

function escapeGlob(text: string): string {
  return text.replace(/[*?[\]\\]/g, '\\$&');
}

storeConformance(
  { test },
  {
    name: 'redisStore',
    // TTLs are measured by the Redis server's clock, not the suite's manual clock: they are
    // tested below with PTTL.
    capabilities: { ttl: false, deduplicatesBatches: true },
    create: () => freshStore(),
  },
);

async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of iterable) items.push(item);
  return items;
}

function isStoreError(error: unknown): error is StoreError {
  return StoreError.isInstance(error);
}

/** Rejection reason of `promise` (fails when it resolves). */
async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  assert.fail('expected the promise to reject');
}

/** Polls `store` until a call succeeds (a call reconnects once the backoff has passed), with a deadline. */
async function untilReachable(store: Store, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await store.readCounters(['probe']);
      return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      // The poll interval of a deadline-bounded readiness check.
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
}

/** Resolves at the next `store_recovered` event of `scout`. */
function nextRecovery(scout: Scout): Promise<void> {
  return new Promise((resolve) => {
    scout.events.once('store_recovered', () => resolve());
  });
}

/** Every counter hash of `store`, sorted by key. */
async function counters(store: Store): Promise<Array<readonly [string, CounterRecord]>> {
  const entries = await collect(store.scanCounters(''));
  return entries.sort(([left], [right]) => (left < right ? -1 : left > right ? 1 : 0));
}

/** Reward pulls per model, read by a fresh selector over `store` (namespace 'default'). */
async function pullsOf(store: Store): Promise<number[]> {
  const selector = createSelector({ store, arms: [...WORKER_MODELS] });
  return (await selector.estimates([...WORKER_MODELS])).map((estimate) => estimate.pulls);
}

/** Sums of the stored scalar statistics per model, read straight from the counter hashes. */
async function storedTotals(store: Store): Promise<Map<string, Record<string, number>>> {
  const totals = new Map<string, Record<string, number>>();
  for await (const [key, record] of store.scanCounters('modelscout:default:statistics:scalar:')) {
    const model = key.slice(key.lastIndexOf(':') + 1);
    const total = totals.get(model) ?? {};
    for (const [field, value] of Object.entries(record)) total[field] = (total[field] ?? 0) + value;
    totals.set(model, total);
  }
  return totals;
}

describe('redisStore', () => {
  test('is a v1 store named redis, with frozen defaults', async () => {
    const store = freshStore();
    assert.equal(store.specificationVersion, 'v1');
    assert.equal(store.name, 'redis');
    assert.ok(Object.isFrozen(REDIS_STORE_DEFAULTS));
    assert.deepStrictEqual(REDIS_STORE_DEFAULTS, {
      prefix: 'modelscout:',
      batchIdTtlMs: 86_400_000,
      connectTimeoutMs: 5000,
      commandTimeoutMs: 5000,
      maximumReconnectDelayMs: 2000,
    });
    await store.close();
  });

  test('validates its options without echoing credentials', () => {
    for (const options of [
      undefined,
      {},
      { url: '' },
      { url: 7 },
      { url: 'http://127.0.0.1:6379' },
      { url: 'not a url' },
      { url: redisUrl, extra: true },
      { url: redisUrl, prefix: 1 },
      { url: redisUrl, counterTtlMs: 0 },
      { url: redisUrl, counterTtlMs: 1.5 },
      { url: redisUrl, batchIdTtlMs: -1 },
      { url: redisUrl, connectTimeoutMs: Number.NaN },
      { url: redisUrl, commandTimeoutMs: '5000' },
      { url: redisUrl, maximumReconnectDelayMs: 0 },
      // Database numbers are whole numbers; credentials must be valid percent-encoding.
      { url: 'redis://127.0.0.1:6379/abc' },
      { url: 'redis://127.0.0.1:6379/1.5' },
      { url: 'redis://127.0.0.1:6379/1/2' },
      { url: 'redis://user:%E0%A4%A@127.0.0.1:6379' },
    ]) {
      assert.throws(
        () => redisStore(options as never),
        InvalidArgumentError.isInstance,
        JSON.stringify(options),
      );
    }
    const error = (() => {
      try {
        redisStore({ url: 'https://admin:hunter2secret@example.com' });
      } catch (caught) {
        return caught;
      }
      return undefined;
    })();
    assert.ok(InvalidArgumentError.isInstance(error));
    assert.doesNotMatch(inspect(error, { depth: 5 }), /hunter2secret/);
    // URLs that do not parse, with credentials that hold URL delimiters.
    for (const url of [
      'redis://admin:hunter2/secret@example.com',
      'redis://admin:hunter2?secret@example.com:99999',
      'redis://admin:hunter2secret@exa mple.com',
      'redis://admin:hunter2@secret@example.com/x',
    ]) {
      let caught: unknown;
      try {
        redisStore({ url });
      } catch (thrown) {
        caught = thrown;
      }
      assert.ok(InvalidArgumentError.isInstance(caught), url);
      assert.doesNotMatch(inspect(caught, { depth: 5 }), /hunter2|secret/, url);
    }
    for (const url of ['redis://127.0.0.1:6379/', 'redis://127.0.0.1:6379/3', 'rediss://u:p@example.com']) {
      redisStore({ url });
    }
  });

  test('loading modelscout, or creating a store, does not load @redis/client', async () => {
    // Counts the @redis modules in the CommonJS module cache after loading modelscout and
    // creating a store, then (to show the count would see it) after loading @redis/client.
    const script = [
      "import { createRequire } from 'node:module';",
      "const require = createRequire(process.cwd() + '/');",
      "const count = () => Object.keys(require.cache).filter((path) => path.includes('@redis')).length;",
      `const modelscout = await import(${JSON.stringify(`${SOURCE_ROOT}index.ts`)});`,
      "modelscout.redisStore({ url: 'redis://127.0.0.1:1' });",
      'const before = count();',
      "await import('@redis/client');",
      'console.log(before, count());',
    ].join('\n');
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const { code, stdout, stderr } = await finished(child);
    assert.equal(code, 0, stderr);
    const [before, after] = stdout.trim().split(' ').map(Number);
    assert.equal(before, 0, stdout);
    assert.ok((after ?? 0) > 0, stdout);
  });

  test('the test helpers read a Redis URL without a port, or with an IPv6 host', async () => {
    assert.deepStrictEqual(redisAddress('redis://127.0.0.1'), { host: '127.0.0.1', port: 6379 });
    assert.deepStrictEqual(redisAddress('redis://user:pass@[::1]:7000/2'), { host: '::1', port: 7000 });
    assert.equal(await pingRedisUrl(redisUrl), true);
    const closedPort = await freePort();
    assert.equal(await pingRedisUrl(`redis://127.0.0.1:${closedPort}`), false);
  });

  test('the key layout: counter hashes, JSON documents and batch markers under the prefix', async () => {
    const prefix = freshPrefix();
    const store = redisStore({ url: redisUrl, prefix });
    await store.increment([{ key: 'arm:a', deltas: { pulls: 2, reward: 0.5 } }], { batchId: 'batch-7' });
    await store.setDocument('arm:a', { id: 'a', tags: ['x'] });
    assert.equal(await raw.type(`${prefix}c:arm:a`), 'hash');
    assert.deepEqual({ ...(await raw.hGetAll(`${prefix}c:arm:a`)) }, { pulls: '2', reward: '0.5' });
    assert.equal(await raw.get(`${prefix}d:arm:a`), '{"id":"a","tags":["x"]}');
    assert.equal(await raw.get(`${prefix}b:batch-7`), '1');
    await store.clear();
    assert.equal(await raw.exists([`${prefix}c:arm:a`, `${prefix}d:arm:a`, `${prefix}b:batch-7`]), 0);
    await store.close();
  });

  test('counters are doubles added in order, exactly like the memory store, and read back exactly', async () => {
    const deltas = [
      0.1,
      0.2,
      1e-7,
      1.234567891234e-12,
      5e-324,
      -0.3,
      123456789.12345679,
      1 / 3,
      2 ** 53 + 2,
      -1.7976931348623157e308,
      1.7976931348623157e308,
      Math.PI * 1e-300,
      -2.5e-17,
      1e21,
      -1e21,
      -1e-310,
    ];
    const increments: CounterIncrement[][] = [];
    for (let index = 0; index < deltas.length; index++) {
      const delta = deltas[index] as number;
      const call: CounterIncrement[] = [{ key: 'k', deltas: { running: delta, [`alone${index}`]: delta } }];
      if (Math.abs(delta) < 1e300) {
        // The same field twice in one call: added in order, like two calls.
        call.push({ key: 'k', deltas: { twice: delta } }, { key: 'other', deltas: { twice: delta } });
        call.push({ key: 'k', deltas: { twice: delta } });
      }
      increments.push(call);
    }
    const prefix = freshPrefix();
    const store = redisStore({ url: redisUrl, prefix });
    const memory = memoryStore();
    for (const call of increments) {
      await store.increment(call);
      await memory.increment(call);
    }
    const fromRedis = await store.readCounters(['k', 'other']);
    const fromMemory = await memory.readCounters(['k', 'other']);
    assert.deepStrictEqual(fromRedis, fromMemory);
    assert.equal(fromRedis[0]?.alone4, 5e-324);
    assert.equal(fromRedis[0]?.alone3, 1.234567891234e-12);
    assert.deepStrictEqual(await collect(store.scanCounters('other')), [['other', fromMemory[1]]]);
    // Stored with the fewest digits that read back exactly.
    assert.equal(await raw.hGet(`${prefix}c:k`, 'alone0'), '0.1');
    assert.equal(await raw.hGet(`${prefix}c:k`, 'alone2'), '1e-07');
    assert.equal(await raw.hGet(`${prefix}c:k`, 'alone7'), '0.3333333333333333');
    await store.clear();
    await store.close();
  });

  test('a delta of -0 is kept as -0, like in the memory store', async () => {
    const prefix = freshPrefix();
    const store = redisStore({ url: redisUrl, prefix });
    const memory = memoryStore();
    const calls: CounterIncrement[][] = [
      [{ key: 'k', deltas: { negativeZero: -0, thenZero: -0, thenOne: -0, zero: 0 } }],
      [{ key: 'k', deltas: { negativeZero: -0, thenZero: 0, thenOne: 1 } }],
    ];
    for (const call of calls) {
      await store.increment(call);
      await memory.increment(call);
    }
    const [fromRedis] = await store.readCounters(['k']);
    assert.deepStrictEqual([fromRedis], await memory.readCounters(['k']));
    assert.ok(Object.is(fromRedis?.negativeZero, -0), `negativeZero = ${fromRedis?.negativeZero}`);
    assert.ok(Object.is(fromRedis?.thenZero, 0));
    assert.ok(Object.is(fromRedis?.zero, 0));
    assert.equal(await raw.hGet(`${prefix}c:k`, 'negativeZero'), '-0');
    await store.clear();
    await store.close();
  });

  test('a call that would overflow, or meets a key of another type, fails whole and applies nothing', async () => {
    const prefix = freshPrefix();
    const store = redisStore({ url: redisUrl, prefix });
    await store.increment([{ key: 'big', deltas: { n: 1.5e308 } }]);
    const overflow = await rejection(
      store.increment([
        { key: 'first', deltas: { n: 1 } },
        { key: 'big', deltas: { n: 1.5e308 } },
        { key: 'last', deltas: { n: 1 } },
      ]),
    );
    assert.ok(isStoreError(overflow));
    assert.match(overflow.message, /overflow/);
    assert.equal(overflow.isRetryable, false);
    assert.doesNotMatch(overflow.message, /may have been applied/);
    // A counter key holding a string (written by someone else) is refused before any write.
    await raw.set(`${prefix}c:foreign`, 'not a hash');
    const wrongType = await rejection(
      store.increment(
        [
          { key: 'first', deltas: { n: 1 } },
          { key: 'foreign', deltas: { n: 1 } },
        ],
        { batchId: 'failing-batch' },
      ),
    );
    assert.ok(isStoreError(wrongType));
    assert.match(wrongType.message, /WRONGTYPE/);
    await raw.hSet(`${prefix}c:text`, 'n', 'abc');
    assert.ok(isStoreError(await rejection(store.increment([{ key: 'text', deltas: { n: 1 } }]))));
    assert.deepStrictEqual(await store.readCounters(['first', 'big', 'last']), [
      undefined,
      { n: 1.5e308 },
      undefined,
    ]);
    // The failed call did not use up its batch id.
    assert.equal(await raw.exists(`${prefix}b:failing-batch`), 0);
    await store.clear();
    await raw.unlink([`${prefix}c:foreign`]);
    await store.close();
  });

  test('a counter field that is not a finite number is refused by reads, as by increments', async () => {
    const prefix = freshPrefix();
    const store = redisStore({ url: redisUrl, prefix });
    for (const text of ['', ' ', 'abc', 'Infinity', '-Infinity', '1e400', 'nan']) {
      await raw.hSet(`${prefix}c:foreign`, 'n', text);
      const read = await rejection(store.readCounters(['foreign']));
      assert.ok(isStoreError(read), `readCounters of ${JSON.stringify(text)}: ${String(read)}`);
      assert.match(read.message, /is not a (finite )?number/);
      assert.ok(isStoreError(await rejection(collect(store.scanCounters('foreign')))), JSON.stringify(text));
      const incremented = await rejection(store.increment([{ key: 'foreign', deltas: { n: 1 } }]));
      assert.ok(isStoreError(incremented), `increment of ${JSON.stringify(text)}`);
      assert.match(incremented.message, /nothing of the call was applied.*is not a finite number/);
      assert.equal(await raw.hGet(`${prefix}c:foreign`, 'n'), text);
    }
    // What Lua and JavaScript both read as the same finite number is a number.
    await raw.hSet(`${prefix}c:foreign`, 'n', ' 5 ');
    assert.deepStrictEqual(await store.readCounters(['foreign']), [{ n: 5 }]);
    await raw.unlink(`${prefix}c:foreign`);
    await store.close();
  });

  test('TTLs are Redis expiries: documents (PX), sliding counter TTLs and batch markers', async () => {
    const prefix = freshPrefix();
    const store = redisStore({ url: redisUrl, prefix, counterTtlMs: 600_000, batchIdTtlMs: 120_000 });
    await store.setDocument('session', 'short', { ttlMs: 30_000 });
    await store.setDocument('fraction', 'tiny', { ttlMs: 2.5 });
    await store.setDocument('forever', 'stays');
    const sessionTtl = await raw.pTTL(`${prefix}d:session`);
    assert.ok(sessionTtl > 25_000 && sessionTtl <= 30_000, `PTTL ${sessionTtl}`);
    const fractionTtl = await raw.pTTL(`${prefix}d:fraction`);
    assert.ok(fractionTtl <= 3, `PTTL ${fractionTtl} (2.5 ms rounds up to 3)`);
    assert.equal(await raw.pTTL(`${prefix}d:forever`), -1);
    // Replacing a document replaces its TTL.
    await store.setDocument('session', 'now forever');
    assert.equal(await raw.pTTL(`${prefix}d:session`), -1);

    await store.increment([{ key: 'counter', deltas: { n: 1 } }], { batchId: 'batch-1' });
    const counterTtl = await raw.pTTL(`${prefix}c:counter`);
    assert.ok(counterTtl > 590_000 && counterTtl <= 600_000, `PTTL ${counterTtl}`);
    const markerTtl = await raw.pTTL(`${prefix}b:batch-1`);
    assert.ok(markerTtl > 110_000 && markerTtl <= 120_000, `PTTL ${markerTtl}`);
    // Each increment slides the counter's expiry forward again.
    await raw.pExpire(`${prefix}c:counter`, 1000);
    await store.increment([{ key: 'counter', deltas: { n: 1 } }]);
    assert.ok((await raw.pTTL(`${prefix}c:counter`)) > 590_000);

    const withoutTtl = redisStore({ url: redisUrl, prefix });
    await withoutTtl.increment([{ key: 'kept', deltas: { n: 1 } }]);
    assert.equal(await raw.pTTL(`${prefix}c:kept`), -1);
    await withoutTtl.close();
    await store.clear();
    await store.close();
  });

  test('a ttlMs longer than Redis can hold is capped at 2^53 - 1 ms, not refused', async () => {
    const prefix = freshPrefix();
    const store = redisStore({ url: redisUrl, prefix });
    for (const ttlMs of [1e19, 1e21, 1e300, Number.MAX_VALUE]) {
      await store.setDocument('long', ttlMs, { ttlMs });
      assert.equal(await store.getDocument('long'), ttlMs);
      const ttl = await raw.pTTL(`${prefix}d:long`);
      assert.ok(ttl > Number.MAX_SAFE_INTEGER - 60_000, `PTTL ${ttl} for ttlMs ${ttlMs}`);
    }
    await store.clear();
    await store.close();
  });

  test("a prefix that extends another store's ('app:' and 'app:x:') shares nothing with it", async () => {
    const base = freshPrefix();
    const outer = redisStore({ url: redisUrl, prefix: `${base}app:` });
    const inner = redisStore({ url: redisUrl, prefix: `${base}app:x:` });
    for (const store of [outer, inner]) {
      await store.increment([{ key: 'k', deltas: { n: store === outer ? 1 : 2 } }], { batchId: 'id' });
      await store.setDocument('k', store === outer ? 'outer' : 'inner');
    }
    assert.deepStrictEqual(await collect(outer.scanCounters('')), [['k', { n: 1 }]]);
    assert.deepStrictEqual(await collect(outer.scanDocuments('')), [['k', 'outer']]);
    await outer.clear('');
    await outer.clear();
    assert.deepStrictEqual(await inner.readCounters(['k']), [{ n: 2 }]);
    assert.equal(await inner.getDocument('k'), 'inner');
    assert.equal(await raw.exists(`${base}app:x:b:id`), 1);
    assert.deepStrictEqual(await outer.readCounters(['k']), [undefined]);
    await inner.clear();
    await outer.close();
    await inner.close();
  });

  test('one call with 10,000 keys, or with a hash of 100,000 fields, applies whole', async () => {
    const prefix = freshPrefix();
    const store = redisStore({ url: redisUrl, prefix });
    const manyKeys: CounterIncrement[] = [];
    for (let index = 0; index < 10_000; index++) manyKeys.push({ key: `key:${index}`, deltas: { n: index } });
    await store.increment(manyKeys, { batchId: 'many-keys' });
    await store.increment(manyKeys, { batchId: 'many-keys' });
    const records = await store.readCounters(manyKeys.map(({ key }) => key));
    records.forEach((record, index) => {
      if (record?.n !== index) assert.fail(`key:${index} holds ${JSON.stringify(record)}`);
    });
    const wide: Record<string, number> = {};
    for (let index = 0; index < 100_000; index++) wide[`f${index}`] = index + 0.5;
    await store.increment([{ key: 'wide', deltas: wide }]);
    await store.increment([{ key: 'wide', deltas: wide }]);
    const [record] = await store.readCounters(['wide']);
    assert.equal(Object.keys(record ?? {}).length, 100_000);
    for (let index = 0; index < 100_000; index++) {
      if (record?.[`f${index}`] !== 2 * index + 1) assert.fail(`f${index} = ${record?.[`f${index}`]}`);
    }
    await store.clear();
    await store.close();
  });

  test('stores with different prefixes never see each other, and clear() stays inside its prefix', async () => {
    const base = freshPrefix();
    const left = redisStore({ url: redisUrl, prefix: `${base}left*[x]?:` });
    const right = redisStore({ url: redisUrl, prefix: `${base}leftA[x]b:` });
    const outside = `${base}c:unrelated`;
    await raw.set(outside, 'someone else');
    for (const store of [left, right]) {
      await store.increment([{ key: 'shared', deltas: { n: store === left ? 1 : 2 } }], {
        batchId: 'same-id',
      });
      await store.setDocument('shared', store === left ? 'left' : 'right');
    }
    // The same batch id in another prefix is another batch.
    assert.deepStrictEqual(await left.readCounters(['shared']), [{ n: 1 }]);
    assert.deepStrictEqual(await right.readCounters(['shared']), [{ n: 2 }]);
    assert.deepStrictEqual(await collect(left.scanCounters('')), [['shared', { n: 1 }]]);
    assert.deepStrictEqual(await collect(right.scanDocuments('')), [['shared', 'right']]);
    await left.clear();
    assert.deepStrictEqual(await left.readCounters(['shared']), [undefined]);
    assert.deepStrictEqual(await right.readCounters(['shared']), [{ n: 2 }]);
    assert.equal(await right.getDocument('shared'), 'right');
    assert.equal(await raw.exists(`${base}leftA[x]b:b:same-id`), 1);
    assert.equal(await raw.get(outside), 'someone else');
    await right.clear('sha');
    assert.equal(await right.getDocument('shared'), undefined);
    // clear(prefix) leaves batch markers: only clear() removes them.
    assert.equal(await raw.exists(`${base}leftA[x]b:b:same-id`), 1);
    await right.clear();
    assert.equal(await raw.exists(`${base}leftA[x]b:b:same-id`), 0);
    await raw.unlink(outside);
    await left.close();
    await right.close();
  });

  test('scans page through thousands of keys, each once, with other calls between items', async () => {
    const store = freshStore();
    const increments: CounterIncrement[] = [];
    for (let index = 0; index < 2500; index++) {
      increments.push({ key: `page:${index}`, deltas: { n: index, m: 1 } });
    }
    await store.increment(increments);
    await Promise.all(
      Array.from({ length: 1500 }, (_, index) => store.setDocument(`doc:${index}`, { index })),
    );
    const seen = new Set<string>();
    for await (const [key, record] of store.scanCounters('page:')) {
      assert.deepStrictEqual(record, { n: Number(key.slice(5)), m: 1 });
      assert.ok(!seen.has(key), `${key} twice`);
      seen.add(key);
      if (seen.size % 500 === 0) await store.readCounters([key]);
    }
    assert.equal(seen.size, 2500);
    const documents = await collect(store.scanDocuments('doc:'));
    assert.equal(documents.length, 1500);
    assert.equal(new Set(documents.map(([key]) => key)).size, 1500);
    await store.clear();
    assert.deepStrictEqual(await collect(store.scanCounters('')), []);
    await store.close();
  });

  test('credentials in the URL never appear in errors', async () => {
    const closedPort = await freePort();
    // A Redis that is there, with credentials it refuses.
    const refused = new URL(redisUrl);
    refused.username = 'user';
    refused.password = 'secret-pass-123';
    for (const url of [`redis://user:secret-pass-123@127.0.0.1:${closedPort}`, refused.href]) {
      const store = redisStore({ url, connectTimeoutMs: 2000 });
      for (const call of [
        () => store.readCounters(['k']),
        () => store.increment([{ key: 'k', deltas: { n: 1 } }]),
      ]) {
        const error = await rejection(call());
        assert.ok(isStoreError(error), String(error));
        assert.equal(error.isRetryable, true);
        assert.match(error.message, /redis:\/\/\[redacted\]@/);
        const everything = `${error.message} ${String(error)} ${error.stack} ${inspect(error, { depth: 10 })}`;
        assert.doesNotMatch(everything, /secret-pass-123/);
      }
      assert.doesNotMatch(inspect(store, { depth: 10, showHidden: true }), /secret-pass-123/);
      await store.close();
    }
  });

  test('a connection that cannot be made rejects within connectTimeoutMs, and the next call tries again', async () => {
    // A server that accepts connections but never answers.
    const accepted = new Set<Socket>();
    const silent: Server = createServer((socket) => {
      accepted.add(socket);
    });
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const address = silent.address();
    assert.ok(address !== null && typeof address === 'object');
    const store = redisStore({ url: `redis://127.0.0.1:${address.port}`, connectTimeoutMs: 300 });
    const started = performance.now();
    const error = await rejection(store.readCounters(['k']));
    const elapsed = performance.now() - started;
    assert.ok(isStoreError(error) && error.isRetryable, String(error));
    assert.match(error.message, /could not connect/);
    assert.ok(elapsed >= 250 && elapsed < 3000, `rejected after ${elapsed} ms`);
    const again = await rejection(store.readCounters(['k']));
    assert.ok(isStoreError(again));
    await store.close();
    for (const socket of accepted) socket.destroy();
    await new Promise<void>((resolve) => silent.close(() => resolve()));
  });

  test('after a failed connection attempt, calls reject at once until the backoff has passed', async () => {
    // A server that accepts connections and drops them at once: every attempt fails.
    let attempts = 0;
    const dropping: Server = createServer((socket) => {
      attempts++;
      socket.destroy();
    });
    await new Promise<void>((resolve) => dropping.listen(0, '127.0.0.1', resolve));
    const address = dropping.address();
    assert.ok(address !== null && typeof address === 'object');
    const store = redisStore({ url: `redis://127.0.0.1:${address.port}`, maximumReconnectDelayMs: 200 });
    for (let call = 0; call < 20; call++) {
      const error = await rejection(store.readCounters(['k']));
      assert.ok(isStoreError(error) && error.isRetryable, String(error));
      assert.match(error.message, /could not connect/);
    }
    assert.ok(attempts >= 1 && attempts <= 3, `${attempts} connection attempts for 20 calls`);
    // Once the backoff has passed, a call tries again.
    const before = attempts;
    const deadline = Date.now() + 5000;
    while (attempts === before && Date.now() < deadline) {
      await rejection(store.readCounters(['k']));
      // The poll interval of a deadline-bounded wait for the backoff (at most 200 ms) to pass.
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    assert.ok(attempts > before, 'no new attempt after the backoff');
    await store.close();
    await new Promise<void>((resolve) => dropping.close(() => resolve()));
  });

  test('close() after the connection was lost leaves no timer or socket behind', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', CLOSE_WORKER, redisUrl, freshPrefix()], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const { code, stdout, stderr } = await finished(child);
    assert.equal(code, 0, stderr);
    const resources = JSON.parse(stdout) as string[];
    // What is left are the pipes of the child's standard streams.
    assert.deepStrictEqual(
      resources.filter((resource) => resource !== 'PipeWrap' && resource !== 'TTYWrap'),
      [],
      stdout,
    );
  });

  describe('with a private redis-server that stops and restarts', () => {
    let server: RedisServer;

    beforeAll(async () => {
      server = await startRedisServer({ persistent: true });
    });

    afterAll(async () => {
      await server?.dispose();
    });

    test('Redis down at the first call: the call rejects promptly, a later call connects', async () => {
      await server.stop();
      const store = redisStore({ url: server.url, prefix: freshPrefix() });
      const started = performance.now();
      const error = await rejection(store.increment([{ key: 'k', deltas: { n: 1 } }]));
      assert.ok(isStoreError(error) && error.isRetryable, String(error));
      assert.doesNotMatch(error.message, /may have been applied/);
      assert.ok(performance.now() - started < 2000);
      await server.restart();
      // A call within the backoff after the failed attempt rejects at once (by design): poll.
      await untilReachable(store);
      await store.increment([{ key: 'k', deltas: { n: 1 } }]);
      assert.deepStrictEqual(await store.readCounters(['k']), [{ n: 1 }]);
      await store.clear();
      await store.close();
    });

    test('calls while Redis is away reject at once, close() does not hang, nothing is queued', async () => {
      const prefix = freshPrefix();
      const store = redisStore({ url: server.url, prefix, maximumReconnectDelayMs: 50 });
      await store.increment([{ key: 'k', deltas: { n: 1 } }]);
      await server.stop();
      for (let attempt = 0; attempt < 5; attempt++) {
        const started = performance.now();
        const error = await rejection(store.increment([{ key: 'k', deltas: { n: 1 } }]));
        assert.ok(isStoreError(error) && error.isRetryable, String(error));
        assert.ok(performance.now() - started < 1000);
      }
      await server.restart();
      await untilReachable(store);
      // The rejected calls were not queued and sent on reconnection.
      assert.deepStrictEqual(await store.readCounters(['k']), [{ n: 1 }]);
      await server.stop();
      await store.close();
      await server.restart();
      const reader = redisStore({ url: server.url, prefix });
      assert.deepStrictEqual(await reader.readCounters(['k']), [{ n: 1 }]);
      await reader.clear();
      await reader.close();
    });

    test('a scout keeps selecting while Redis is away, and writes what it learned when Redis returns', async () => {
      const prefix = freshPrefix();
      const store = redisStore({ url: server.url, prefix, maximumReconnectDelayMs: 50 });
      const scout = createScout({ store, models: ['a', 'b'], seed: 1 });
      const errors: StoreErrorEvent[] = [];
      scout.events.on('store_error', (event) => errors.push(event));
      let recovered = 0;
      scout.events.on('store_recovered', () => recovered++);
      for (let index = 0; index < 20; index++) {
        await scout.recordOutcome({ modelId: index % 2 === 0 ? 'a' : 'b', success: index % 4 === 0 });
      }
      assert.equal(errors.length, 0);

      await server.stop();
      const selected = await scout.selectOptimal({ candidates: ['a', 'b'] });
      assert.match(selected.primary.id, /^[ab]$/);
      for (let index = 0; index < 10; index++) {
        await scout.recordOutcome({ modelId: index % 2 === 0 ? 'a' : 'b', success: true, latencyMs: 10 });
        await scout.selectOptimal({ candidates: ['a', 'b'] });
      }
      assert.ok(errors.length >= 1, 'no store_error event');
      assert.ok(errors.every(({ error }) => StoreError.isInstance(error) && error.isRetryable));
      assert.ok((errors.at(-1)?.pendingIncrements ?? 0) > 0, JSON.stringify(errors.at(-1)));
      assert.equal(recovered, 0);

      await server.restart();
      await untilReachable(store);
      const recovering = nextRecovery(scout);
      await scout.flush();
      await recovering;
      assert.equal(recovered, 1);

      const reader = redisStore({ url: server.url, prefix });
      assert.deepStrictEqual(await pullsOf(reader), [15, 15]);
      const totals = await storedTotals(reader);
      assert.equal(totals.get('a')?.['reward.sum'], 5 + 5);
      assert.equal(totals.get('b')?.['reward.sum'], 0 + 5);
      assert.equal(totals.get('a')?.['latencyMs.count'], 5);
      await reader.clear();
      await reader.close();
      await store.close();
    });
  });

  describe('in-doubt writes (a connection cut after Redis ran the request)', () => {
    test('the increment rejects saying so; a retry with the same batchId does not count it twice', async () => {
      const proxy = await startCuttingProxy(redisUrl);
      const prefix = freshPrefix();
      const store = redisStore({ url: proxy.url, prefix, maximumReconnectDelayMs: 20 });
      const direct = redisStore({ url: redisUrl, prefix });
      const batch: CounterIncrement[] = [{ key: 'k', deltas: { n: 1 } }];
      // Loads the script, so the cut request is the EVALSHA that runs it.
      await store.increment(batch, { batchId: 'warm-up' });

      const cut = proxy.cutAfterForwarding('EVALSHA');
      const error = await rejection(store.increment(batch, { batchId: 'batch-1' }));
      await cut;
      assert.ok(isStoreError(error) && error.isRetryable, String(error));
      assert.match(error.message, /may have been applied.*same batchId/);
      // Redis did apply it: the client could not know.
      assert.deepStrictEqual(await direct.readCounters(['k']), [{ n: 2 }]);
      await untilReachable(store);
      await store.increment(batch, { batchId: 'batch-1' });
      assert.deepStrictEqual(await direct.readCounters(['k']), [{ n: 2 }]);

      // Without a batchId, the same retry counts the call twice: why the ids matter.
      const cutAgain = proxy.cutAfterForwarding('EVALSHA');
      assert.ok(isStoreError(await rejection(store.increment(batch))));
      await cutAgain;
      await untilReachable(store);
      await store.increment(batch);
      assert.deepStrictEqual(await direct.readCounters(['k']), [{ n: 4 }]);

      await direct.clear();
      await direct.close();
      await store.close();
      await proxy.close();
    });

    test('a reply slower than commandTimeoutMs rejects as in doubt; the late reply is harmless', async () => {
      const proxy = await startCuttingProxy(redisUrl);
      const prefix = freshPrefix();
      const store = redisStore({ url: proxy.url, prefix, commandTimeoutMs: 200 });
      const direct = redisStore({ url: redisUrl, prefix });
      const batch: CounterIncrement[] = [{ key: 'k', deltas: { n: 1 } }];
      await store.increment(batch, { batchId: 'warm-up' });
      const release = proxy.holdReplies();
      const error = await rejection(store.increment(batch, { batchId: 'slow' }));
      assert.ok(isStoreError(error) && error.isRetryable, String(error));
      assert.match(error.message, /no reply from Redis within 200 ms.*may have been applied/);
      release();
      await store.increment(batch, { batchId: 'slow' });
      assert.deepStrictEqual(await store.readCounters(['k']), [{ n: 2 }]);
      assert.deepStrictEqual(await direct.readCounters(['k']), [{ n: 2 }]);
      await direct.clear();
      await direct.close();
      await store.close();
      await proxy.close();
    });

    test('a scout retries an in-doubt batch with its batchId: every counter exact', async () => {
      const proxy = await startCuttingProxy(redisUrl);
      const prefix = freshPrefix();
      const store = redisStore({ url: proxy.url, prefix, maximumReconnectDelayMs: 20 });
      const direct = redisStore({ url: redisUrl, prefix });
      // The same outcomes, at the same (manual) times, through a scout whose store never fails:
      // what every counter must hold in the end.
      const clock = manualClock(Date.UTC(2030, 0, 1));
      const reference = memoryStore();
      const scouts = [store, reference].map((scoutStore) =>
        createScout({ store: scoutStore, models: ['a', 'b'], seed: 1, clock }),
      );
      const [scout, referenceScout] = scouts as [Scout, Scout];
      const record = async (outcome: Outcome) => {
        for (const each of scouts) await each.recordOutcome(outcome);
        clock.advance(1000);
      };
      const errors: StoreErrorEvent[] = [];
      scout.events.on('store_error', (event) => errors.push(event));
      for (let index = 0; index < 10; index++) await record({ modelId: 'a', success: true, latencyMs: 100 });
      assert.equal(errors.length, 0);

      const before = await counters(direct);
      const cut = proxy.cutAfterForwarding('EVALSHA');
      await record({ modelId: 'b', success: true, latencyMs: 50 });
      await cut;
      // The first error says the write is in doubt (retries while reconnecting may add more).
      assert.ok(errors.length >= 1);
      assert.match(errors[0]?.error.message ?? '', /may have been applied/);
      // Redis did apply the request whose reply was cut.
      assert.notDeepStrictEqual(await counters(direct), before);

      await untilReachable(store);
      const recovering = nextRecovery(scout);
      await scout.flush();
      await recovering;
      await record({ modelId: 'b', success: false, latencyMs: 70 });
      await scout.flush();
      await referenceScout.flush();
      assert.deepStrictEqual(await counters(direct), await counters(reference));
      assert.deepStrictEqual(await pullsOf(direct), [10, 2]);
      assert.equal((await storedTotals(direct)).get('b')?.['reward.sum'], 1);
      await direct.clear();
      await direct.close();
      await store.close();
      await proxy.close();
    });
  });

  test('8 processes × 5,000 recordOutcome calls against one Redis: exact counts', {
    timeout: 120_000,
  }, async () => {
    const prefix = freshPrefix();
    const workers = 8;
    const calls = 5000;
    const started = performance.now();
    const children = Array.from({ length: workers }, (_, worker) =>
      finished(
        spawn(
          process.execPath,
          ['--import', 'tsx', WORKER, redisUrl, prefix, String(worker + 1), String(calls)],
          {
            stdio: ['ignore', 'pipe', 'pipe'],
          },
        ),
      ),
    );
    const results = await Promise.all(children);
    for (const { code, stderr, stdout } of results) assert.equal(code, 0, `${stdout}\n${stderr}`);
    const elapsed = performance.now() - started;
    const store = redisStore({ url: redisUrl, prefix });
    const expected = workerTotals(calls);
    assert.deepStrictEqual(
      await pullsOf(store),
      WORKER_MODELS.map((model) => workers * (expected.get(model)?.outcomes ?? 0)),
    );
    const totals = await storedTotals(store);
    for (const model of WORKER_MODELS) {
      const expectedModel = expected.get(model);
      assert.ok(expectedModel !== undefined);
      const stored = totals.get(model);
      assert.equal(stored?.['reward.count'], workers * expectedModel.outcomes, model);
      assert.equal(stored?.['reward.sum'], workers * expectedModel.successes, model);
      assert.equal(stored?.['reward.sumOfSquares'], workers * expectedModel.successes, model);
      assert.equal(stored?.['latencyMs.count'], workers * expectedModel.outcomes, model);
      assert.equal(stored?.['latencyMs.sum'], workers * expectedModel.latencyMs, model);
    }
    console.info(
      `8 × ${calls} recordOutcome: ${Math.round(elapsed)} ms in all; per worker (ms): ${results
        .map(({ stdout }) => stdout.trim().replace('done ', ''))
        .join(', ')}`,
    );
    await store.clear();
    await store.close();
  });
});

/** Resolves once `child` has exited, with its exit code and output. */
function finished(child: ChildProcess): Promise<{ code: number | null; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
  });
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}
