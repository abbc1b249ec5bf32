import assert from 'node:assert/strict';
import type { KeyvStoreAdapter } from 'keyv';
import { Keyv } from 'keyv';
import { test } from 'vitest';
import { manualClock } from '../clock/manual-clock.js';
import { InvalidArgumentError } from '../errors/invalid-argument-error.js';
import { StoreError } from '../errors/store-error.js';
import { storeConformance } from '../testing/store-conformance.js';
import { keyvStore } from './keyv-store.js';
import type { CounterIncrement, Store } from './spec.js';

storeConformance(
  { test },
  {
    name: 'keyvStore (Map, default namespace)',
    create: ({ clock }) => keyvStore({ keyv: new Keyv(), clock }),
  },
);

// Without a namespace, keyv's iterator drops the key up to its first ':' ('c:a:b' comes back as
// 'a:b'); the store must not depend on the iterator's keys.
storeConformance(
  { test },
  {
    name: 'keyvStore (Map, no namespace)',
    create: ({ clock }) => keyvStore({ keyv: new Keyv({ namespace: undefined }), clock }),
  },
);

// Without serialization keyv hands the stored objects themselves back: the store must copy.
storeConformance(
  { test },
  {
    name: 'keyvStore (Map, no serialization)',
    create: ({ clock }) =>
      keyvStore({
        keyv: new Keyv({ namespace: 'raw', serialize: undefined, deserialize: undefined }),
        clock,
      }),
  },
);

async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of iterable) items.push(item);
  return items;
}

/** A minimal keyv adapter without an iterator, whose operations can be made to fail. */
function testAdapter() {
  const data = new Map<string, unknown>();
  const adapter = {
    data,
    failReads: false,
    failWrites: false,
    disconnects: 0,
    opts: {},
    async get<Value>(key: string): Promise<Value | undefined> {
      if (adapter.failReads) throw new Error('disk on fire');
      return data.get(key) as Value | undefined;
    },
    async set(key: string, value: unknown): Promise<boolean> {
      if (adapter.failWrites) throw new Error('disk full');
      data.set(key, value);
      return true;
    },
    async delete(key: string): Promise<boolean> {
      return data.delete(key);
    },
    async clear(): Promise<void> {
      data.clear();
    },
    async disconnect(): Promise<void> {
      adapter.disconnects++;
    },
    on() {
      return adapter;
    },
  };
  return adapter satisfies KeyvStoreAdapter;
}

function isStoreError(error: unknown): boolean {
  return StoreError.isInstance(error);
}

test('keyvStore is a v1 store named keyv', () => {
  const store = keyvStore({ keyv: new Keyv() });
  assert.equal(store.specificationVersion, 'v1');
  assert.equal(store.name, 'keyv');
});

test('keyvStore validates its options', () => {
  assert.throws(() => keyvStore(undefined as never), InvalidArgumentError.isInstance);
  assert.throws(() => keyvStore({} as never), InvalidArgumentError.isInstance);
  assert.throws(() => keyvStore({ keyv: new Map() } as never), InvalidArgumentError.isInstance);
  assert.throws(() => keyvStore({ keyv: new Keyv(), ttl: 5 } as never), InvalidArgumentError.isInstance);
  assert.throws(
    () => keyvStore({ keyv: new Keyv(), clock: { now: 1 } as never }),
    InvalidArgumentError.isInstance,
  );
});

test('keyvStore works with a Keyv using a namespace, under c: and d: keys', async () => {
  const map = new Map<string, unknown>();
  const store = keyvStore({ keyv: new Keyv({ store: map, namespace: 'modelscout' }) });
  await store.increment([{ key: 'arm:a', deltas: { n: 1 } }]);
  await store.setDocument('model:x', { id: 'x' });
  assert.deepStrictEqual([...map.keys()].sort(), ['modelscout:c:arm:a', 'modelscout:d:model:x']);
  assert.deepStrictEqual(await collect(store.scanCounters('arm:')), [['arm:a', { n: 1 }]]);
  assert.deepStrictEqual(await collect(store.scanDocuments('')), [['model:x', { id: 'x' }]]);
});

test('two keyvStores over the same Keyv share data', async () => {
  const keyv = new Keyv();
  const first = keyvStore({ keyv });
  const second = keyvStore({ keyv });
  await first.increment([{ key: 'k', deltas: { n: 1 } }]);
  await second.increment([{ key: 'k', deltas: { n: 2 } }]);
  await first.setDocument('doc', 'from first');
  assert.deepStrictEqual(await second.readCounters(['k']), [{ n: 3 }]);
  assert.deepStrictEqual(await collect(second.scanDocuments('')), [['doc', 'from first']]);
  assert.equal(await second.delete('doc'), true);
  assert.equal(await first.getDocument('doc'), undefined);
});

test('concurrent increments through two keyvStores over one Map lose nothing', async () => {
  const map = new Map<string, unknown>();
  const first = keyvStore({ keyv: new Keyv({ store: map, namespace: 'shared' }) });
  const second = keyvStore({ keyv: new Keyv({ store: map, namespace: 'shared' }) });
  const calls: Promise<void>[] = [];
  for (let index = 0; index < 500; index++) {
    calls.push(first.increment([{ key: 'hot', deltas: { n: 1 } }]));
    calls.push(second.increment([{ key: 'hot', deltas: { n: 2 } }]));
  }
  await Promise.all(calls);
  assert.deepStrictEqual(await first.readCounters(['hot']), [{ n: 1500 }]);
});

test('keyvStore leaves other data in the same Keyv alone', async () => {
  const keyv = new Keyv();
  await keyv.set('user:setting', 'dark');
  await keyv.set('c:looks-like-a-counter', { n: 1 });
  const store = keyvStore({ keyv });
  await store.increment([{ key: 'k', deltas: { n: 1 } }]);
  await store.setDocument('d', 1);
  assert.deepStrictEqual(await collect(store.scanCounters('')), [['k', { n: 1 }]]);
  assert.deepStrictEqual(await collect(store.scanDocuments('')), [['d', 1]]);
  await store.clear();
  assert.equal(await keyv.get('user:setting'), 'dark');
  assert.deepStrictEqual(await keyv.get('c:looks-like-a-counter'), { n: 1 });
  assert.deepStrictEqual(await store.readCounters(['k']), [undefined]);
});

test('an entry that modelscout did not write is reported, not overwritten', async () => {
  const keyv = new Keyv();
  await keyv.set('c:k', 'something else');
  await keyv.set('d:doc', 42);
  const store = keyvStore({ keyv });
  await assert.rejects(store.readCounters(['k']), isStoreError);
  await assert.rejects(store.increment([{ key: 'k', deltas: { n: 1 } }]), isStoreError);
  await assert.rejects(store.getDocument('doc'), isStoreError);
  assert.equal(await keyv.get('c:k'), 'something else');
});

test('without keyv.iterator, scans and clear reject with a StoreError and the rest works', async () => {
  const keyv = new Keyv({ store: testAdapter() });
  assert.equal(keyv.iterator, undefined);
  const store = keyvStore({ keyv });
  await store.increment([{ key: 'k', deltas: { n: 1 } }]);
  await store.setDocument('doc', [1]);
  assert.deepStrictEqual(await store.readCounters(['k']), [{ n: 1 }]);
  assert.deepStrictEqual(await store.getDocument('doc'), [1]);
  for (const call of [
    () => collect(store.scanCounters('')),
    () => collect(store.scanDocuments('')),
    () => store.clear(),
  ]) {
    await assert.rejects(call(), (error: unknown) => isStoreError(error) && /iterat/.test(String(error)));
  }
  assert.equal(await store.delete('doc'), true);
});

test('adapter failures become StoreErrors carrying the cause', async () => {
  const adapter = testAdapter();
  const store = keyvStore({ keyv: new Keyv({ store: adapter, throwOnErrors: true }) });
  await store.increment([{ key: 'k', deltas: { n: 1 } }]);
  adapter.failReads = true;
  await assert.rejects(
    store.readCounters(['k']),
    (error: unknown) => isStoreError(error) && (error as Error).cause instanceof Error,
  );
  await assert.rejects(store.increment([{ key: 'k', deltas: { n: 1 } }]), isStoreError);
  adapter.failReads = false;
  assert.deepStrictEqual(await store.readCounters(['k']), [{ n: 1 }], 'a failed increment wrote nothing');
});

test('a write that keyv reports as failed (set returns false) rejects with a StoreError', async () => {
  const adapter = testAdapter();
  // Without throwOnErrors, keyv swallows the adapter's error and returns false from set().
  const store = keyvStore({ keyv: new Keyv({ store: adapter }) });
  adapter.failWrites = true;
  await assert.rejects(store.increment([{ key: 'k', deltas: { n: 1 } }]), isStoreError);
  await assert.rejects(store.setDocument('doc', 1), isStoreError);
});

test('a Keyv-wide default ttl does not expire counters or documents stored without ttlMs', async () => {
  const keyv = new Keyv({ ttl: 5 });
  const store = keyvStore({ keyv });
  await store.increment([{ key: 'k', deltas: { n: 1 } }]);
  await store.setDocument('doc', 1);
  assert.equal((await keyv.get('c:k', { raw: true }))?.expires, undefined);
  assert.equal((await keyv.get('d:doc', { raw: true }))?.expires, undefined);
});

test('with the system clock the TTL is handed to keyv; with another clock it is not', async () => {
  const keyv = new Keyv();
  const before = Date.now();
  await keyvStore({ keyv }).setDocument('system', 1, { ttlMs: 60_000 });
  const expires = (await keyv.get('d:system', { raw: true }))?.expires;
  assert.ok(typeof expires === 'number' && expires >= before + 60_000 && expires <= Date.now() + 60_000);
  await keyvStore({ keyv, clock: manualClock() }).setDocument('manual', 1, { ttlMs: 60_000 });
  assert.equal((await keyv.get('d:manual', { raw: true }))?.expires, undefined);
});

test('close() disconnects the Keyv only with disconnectOnClose', async () => {
  const adapter = testAdapter();
  const keyv = new Keyv({ store: adapter });
  await keyvStore({ keyv }).close();
  assert.equal(adapter.disconnects, 0);
  const owning: Store = keyvStore({ keyv, disconnectOnClose: true });
  await owning.close();
  await owning.close();
  assert.equal(adapter.disconnects, 1);
});

test('an increment without fields creates no hash', async () => {
  const keyv = new Keyv();
  const store = keyvStore({ keyv });
  await store.increment([{ key: 'empty', deltas: {} }]);
  assert.deepStrictEqual(await store.readCounters(['empty']), [undefined]);
  assert.equal(await keyv.get('c:empty'), undefined);
});

/** A Map for keyv to store in, whose `set` fails whenever `failSet(key, call)` says so (`call` counts the sets of `key` from 1). */
class FailingMap extends Map<string, unknown> {
  failSet: (key: string, call: number) => boolean = () => false;
  readonly #calls = new Map<string, number>();

  override set(key: string, value: unknown): this {
    const call = (this.#calls.get(key) ?? 0) + 1;
    this.#calls.set(key, call);
    if (this.failSet(key, call)) throw new Error(`disk full at ${key}`);
    return super.set(key, value);
  }
}

for (const throwOnErrors of [true, false]) {
  test(`a batch whose write fails for one key changes no key, and a retry applies it once (throwOnErrors: ${throwOnErrors})`, async () => {
    const map = new FailingMap();
    const store = keyvStore({ keyv: new Keyv({ store: map, namespace: 'ns', throwOnErrors }) });
    await store.increment([
      { key: 'a', deltas: { n: 10 } },
      { key: 'b', deltas: { n: 20 } },
    ]);
    const batch: CounterIncrement[] = [
      { key: 'a', deltas: { n: 1, new: 1 } },
      { key: 'b', deltas: { n: 2 } },
      { key: 'c', deltas: { n: 3 } },
      { key: 'a', deltas: { n: 4 } },
    ];
    // Only the first write of 'b' in this batch fails; 'a' and 'c' are written, then rolled back.
    map.failSet = (key, call) => key === 'ns:c:b' && call === 2;
    await assert.rejects(
      store.increment(batch),
      (error: unknown) =>
        isStoreError(error) &&
        /'c:b'/.test((error as Error).message) &&
        /not applied/.test((error as Error).message) &&
        (throwOnErrors ? (error as Error).cause instanceof Error : true),
    );
    assert.deepStrictEqual(await store.readCounters(['a', 'b', 'c']), [{ n: 10 }, { n: 20 }, undefined]);
    assert.equal(map.has('ns:c:c'), false, "the new key 'c' was deleted again");
    await store.increment(batch);
    assert.deepStrictEqual(await store.readCounters(['a', 'b', 'c']), [
      { n: 15, new: 1 },
      { n: 22 },
      { n: 3 },
    ]);
  });
}

test('a failed rollback is reported: the message and the cause say the batch was partly applied', async () => {
  const map = new FailingMap();
  const store = keyvStore({ keyv: new Keyv({ store: map, namespace: 'ns', throwOnErrors: true }) });
  await store.increment([{ key: 'a', deltas: { n: 10 } }]);
  // 'b' always fails; 'a' is written by the batch (its second set) but cannot be restored (its third).
  map.failSet = (key, call) => key === 'ns:c:b' || (key === 'ns:c:a' && call === 3);
  await assert.rejects(
    store.increment([
      { key: 'a', deltas: { n: 1 } },
      { key: 'b', deltas: { n: 2 } },
    ]),
    (error: unknown) => {
      assert.ok(isStoreError(error));
      const { message, cause } = error as Error;
      assert.match(message, /'c:b'/);
      assert.match(message, /rolling the increment back failed/);
      assert.match(message, /'c:a'/);
      assert.match(message, /partly applied/);
      assert.ok(cause instanceof AggregateError);
      assert.equal(cause.errors.length, 2);
      assert.ok(cause.errors.every(isStoreError));
      return true;
    },
  );
  map.failSet = () => false;
  assert.deepStrictEqual(await store.readCounters(['a', 'b']), [{ n: 11 }, undefined]);
});

test('a batch with an entry modelscout did not write changes none of its keys', async () => {
  const keyv = new Keyv();
  await keyv.set('c:z', 'something else');
  const store = keyvStore({ keyv });
  await assert.rejects(
    store.increment([
      { key: 'a', deltas: { n: 1 } },
      { key: 'z', deltas: { n: 1 } },
    ]),
    isStoreError,
  );
  assert.deepStrictEqual(await store.readCounters(['a']), [undefined]);
});

test('concurrent batches over overlapping keys in opposite orders neither deadlock nor lose updates', async () => {
  const keyv = new Keyv();
  const first = keyvStore({ keyv });
  const second = keyvStore({ keyv });
  const calls: Promise<void>[] = [];
  for (let index = 0; index < 200; index++) {
    calls.push(
      first.increment([
        { key: 'x', deltas: { n: 1 } },
        { key: 'y', deltas: { n: 1 } },
      ]),
    );
    calls.push(
      second.increment([
        { key: 'y', deltas: { n: 2 } },
        { key: 'z', deltas: { n: 2 } },
        { key: 'x', deltas: { n: 2 } },
      ]),
    );
    calls.push(first.increment([{ key: 'z', deltas: { n: 4 } }]));
  }
  await Promise.all(calls);
  assert.deepStrictEqual(await first.readCounters(['x', 'y', 'z']), [{ n: 600 }, { n: 600 }, { n: 1200 }]);
});
