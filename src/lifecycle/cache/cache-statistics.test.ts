import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { manualClock } from '../../clock/manual-clock.js';
import { InvalidArgumentError } from '../../errors/invalid-argument-error.js';
import { memoryStore } from '../../store/memory-store.js';
import { createCacheManager } from './create-cache-manager.js';
import {
  commitOf,
  onnxVariantFiles,
  type TemporaryCache,
  temporaryCache,
  writeCachedRevision,
} from './testing/cache-fixture.js';

let cache: TemporaryCache;
beforeEach(async () => {
  cache = await temporaryCache();
});
afterEach(async () => {
  await cache.cleanup();
});

describe('statistics', () => {
  test('start empty, with no hit rate before the first lookup', async () => {
    const manager = createCacheManager({ cacheDirectory: cache.cacheDirectory });
    expect(await manager.statistics()).toEqual({
      hits: 0,
      misses: 0,
      hitRate: undefined,
      hitBytes: 0,
      missBytes: 0,
      evictions: 0,
      removedFiles: 0,
      freedBytes: 0,
    });
  });

  test('add up across two managers sharing one store, lookups and evictions alike', async () => {
    for (const modelId of ['acme/one', 'acme/two']) {
      await writeCachedRevision(cache.cacheDirectory, {
        modelId,
        commit: commitOf(modelId),
        files: onnxVariantFiles(['q8'], { sizeBytes: 500, seed: modelId.length }),
        refs: ['main'],
      });
    }
    const store = memoryStore();
    const first = createCacheManager({ cacheDirectory: cache.cacheDirectory, store, clock: manualClock(1) });
    const second = createCacheManager({ cacheDirectory: cache.cacheDirectory, store, clock: manualClock(2) });

    await first.recordLookup(true, { sizeBytes: 100 });
    await second.recordLookup(false, { sizeBytes: 50 });
    await second.recordLookup(true);
    await first.recordLookup(true, { sizeBytes: 1 });

    // Uses recorded by one are seen by the other.
    await first.recordUse('acme/one');
    const seen = await second.scan();
    expect(seen.repositories.find((repository) => repository.id === 'acme/one')?.revisions[0]?.lastUse).toBe(
      1,
    );

    await first.prune({ budget: 540 }).then((plan) => plan.execute());
    await second.prune({ budget: 0 }).then((plan) => plan.execute());

    const expected = {
      hits: 3,
      misses: 1,
      hitRate: 0.75,
      hitBytes: 101,
      missBytes: 50,
      evictions: 2,
      removedFiles: 0,
      freedBytes: 2 * (500 + 40),
    };
    expect(await first.statistics()).toEqual(expected);
    expect(await second.statistics()).toEqual(expected);
  });

  test('reject lookups that are not a boolean or carry a bad size', async () => {
    const manager = createCacheManager({ cacheDirectory: cache.cacheDirectory });
    for (const call of [
      () => manager.recordLookup('yes' as never),
      () => manager.recordLookup(true, { sizeBytes: -1 }),
      () => manager.recordLookup(true, { sizeBytes: Number.NaN }),
      () => manager.recordLookup(false, { bytes: 3 } as never),
    ]) {
      const error = await call().catch((caught: unknown) => caught);
      expect(InvalidArgumentError.isInstance(error)).toBe(true);
    }
    expect((await manager.statistics()).hits + (await manager.statistics()).misses).toBe(0);
  });
});
