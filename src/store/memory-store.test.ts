import assert from 'node:assert/strict';
import { test } from 'vitest';
import { manualClock } from '../clock/manual-clock.js';
import { InvalidArgumentError } from '../errors/invalid-argument-error.js';
import { storeConformance } from '../testing/store-conformance.js';
import { memoryStore } from './memory-store.js';

storeConformance({ test }, { name: 'memoryStore', create: ({ clock }) => memoryStore({ clock }) });

test('memoryStore is a v1 store named memory', () => {
  const store = memoryStore();
  assert.equal(store.specificationVersion, 'v1');
  assert.equal(store.name, 'memory');
});

test('memoryStore accepts an undefined clock and uses the system clock', async () => {
  const store = memoryStore({ clock: undefined });
  await store.setDocument('doc', 1, { ttlMs: 60_000 });
  assert.equal(await store.getDocument('doc'), 1);
  await store.close();
});

test('memoryStore rejects unknown options and a clock without now()', () => {
  assert.throws(() => memoryStore({ clok: manualClock() } as never), InvalidArgumentError.isInstance);
  assert.throws(() => memoryStore({ clock: {} as never }), InvalidArgumentError.isInstance);
});

test('two memory stores do not share data', async () => {
  const first = memoryStore();
  const second = memoryStore();
  await first.increment([{ key: 'k', deltas: { n: 1 } }]);
  await first.setDocument('k', 'first');
  assert.deepStrictEqual(await second.readCounters(['k']), [undefined]);
  assert.equal(await second.getDocument('k'), undefined);
});

test('memoryStore expires a document exactly ttlMs after it was set', async () => {
  const clock = manualClock(1000);
  const store = memoryStore({ clock });
  await store.setDocument('a', 'x', { ttlMs: 10 });
  clock.advance(9);
  assert.equal(await store.getDocument('a'), 'x');
  clock.advance(1);
  assert.equal(await store.getDocument('a'), undefined);
});

test('an increment without fields creates no hash', async () => {
  const store = memoryStore();
  await store.increment([{ key: 'empty', deltas: {} }]);
  assert.deepStrictEqual(await store.readCounters(['empty']), [undefined]);
  for await (const entry of store.scanCounters('')) assert.fail(`unexpected hash ${entry[0]}`);
});
