import { lstat, readdir } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { manualClock } from '../../clock/manual-clock.js';
import { memoryStore } from '../../store/memory-store.js';
import type { CacheEvictedEvent } from './cache-events.js';
import { createCacheManager } from './create-cache-manager.js';
import {
  commitOf,
  diskUsage,
  FIXTURE_TIME,
  onnxVariantFiles,
  type TemporaryCache,
  temporaryCache,
  writeCachedRevision,
} from './testing/cache-fixture.js';

const START = Date.UTC(2024, 0, 1);
const MINUTE = 60_000;

let cache: TemporaryCache;
beforeEach(async () => {
  cache = await temporaryCache();
});
afterEach(async () => {
  await cache.cleanup();
});

/** Four models of 1000 + 2 + 40 bytes each (weights, config, ref), none sharing a blob. */
async function writeFourModels(): Promise<void> {
  for (const [index, modelId] of ['org/alpha', 'org/beta', 'org/gamma', 'org/delta'].entries()) {
    await writeCachedRevision(cache.cacheDirectory, {
      modelId,
      commit: commitOf(modelId),
      files: { 'config.json': `{}`, ...onnxVariantFiles(['q8'], { sizeBytes: 1000, seed: index + 1 }) },
      refs: ['main'],
      // delta's blobs were touched in 2030 (atime after every recorded use): it is used most recently.
      time: modelId === 'org/delta' ? Date.UTC(2030, 0, 1) : FIXTURE_TIME,
    });
  }
}

const MODEL_BYTES = 1000 + 2 + 40;

describe('prune with a size budget (LRU)', () => {
  test('evicts whole revisions least recently used first, by recordUse on the injected clock and blob times', async () => {
    await writeFourModels();
    const clock = manualClock(START);
    const manager = createCacheManager({ cacheDirectory: cache.cacheDirectory, clock });
    await manager.recordUse('org/beta');
    clock.advance(MINUTE);
    await manager.recordUse('org/alpha');
    clock.advance(MINUTE);
    await manager.recordUse('org/gamma');

    // Room for two models: beta then alpha go; gamma (used last) and delta (newest atime) stay.
    const plan = await manager.prune({ budget: 2 * MODEL_BYTES });
    expect(
      plan.revisions.map((revision) => [revision.modelId, revision.reason, revision.lastAccess]),
    ).toEqual([
      ['org/beta', 'budget', START],
      ['org/alpha', 'budget', START + MINUTE],
    ]);
    expect(plan.budget).toEqual({ budgetBytes: 2 * MODEL_BYTES, fits: true, pinned: [], message: undefined });
    expect(plan.sizeBeforeBytes).toBe(4 * MODEL_BYTES);
    expect(plan.expectedFreedBytes).toBe(2 * MODEL_BYTES);
    expect(plan.expectedSizeAfterBytes).toBe(2 * MODEL_BYTES);
    expect(plan.refs.map((reference) => [reference.modelId, reference.name])).toEqual([
      ['org/beta', 'main'],
      ['org/alpha', 'main'],
    ]);
    expect(plan.blobs).toHaveLength(4);

    // Using alpha again moves it behind gamma: gamma goes instead.
    clock.advance(MINUTE);
    await manager.recordUse('org/alpha');
    const replanned = await manager.prune({ budget: 2 * MODEL_BYTES });
    expect(replanned.revisions.map((revision) => revision.modelId)).toEqual(['org/beta', 'org/gamma']);
  });

  test('a dry run removes nothing, and executing frees exactly what it planned', async () => {
    await writeFourModels();
    // A second revision of alpha sharing its weights, and dtype variants to prune alongside.
    await writeCachedRevision(cache.cacheDirectory, {
      modelId: 'org/alpha',
      commit: commitOf('alpha-old'),
      files: {
        'config.json': '{"old":true}',
        ...onnxVariantFiles(['q8'], { sizeBytes: 1000, seed: 1 }),
        ...onnxVariantFiles(['fp16'], { sizeBytes: 400, seed: 9 }),
      },
    });
    const manager = createCacheManager({ cacheDirectory: cache.cacheDirectory, clock: manualClock(START) });
    await manager.recordUse('org/delta');
    const before = await diskUsage(cache.cacheDirectory);
    const scanBefore = await manager.scan();
    expect(scanBefore.sizeOnDisk).toBe(before);

    const plan = await manager.prune({ budget: 2 * MODEL_BYTES, unusedDtypes: { keep: ['q8'] } });
    expect(plan.files.map((file) => [file.modelId, file.path, file.dtype])).toEqual([
      ['org/alpha', 'onnx/model_fp16.onnx', 'fp16'],
    ]);
    expect(plan.revisions.length).toBeGreaterThan(0);
    expect(plan.expectedFreedBytes).toBeGreaterThan(0);
    // Nothing moved.
    expect(await diskUsage(cache.cacheDirectory)).toBe(before);
    expect(await manager.scan()).toEqual({ ...scanBefore, scannedAt: scanBefore.scannedAt });

    const result = await plan.execute();
    const after = await diskUsage(cache.cacheDirectory);
    expect(before - after).toBe(plan.expectedFreedBytes);
    expect(result.freedBytes).toBe(plan.expectedFreedBytes);
    expect(after).toBe(plan.expectedSizeAfterBytes);
    expect(after).toBeLessThanOrEqual(2 * MODEL_BYTES);
    expect(result.skipped).toEqual([]);
    expect(result.removedRevisions).toEqual(plan.revisions);
    expect(result.removedFiles).toEqual(plan.files);
    expect(result.removedBlobs).toEqual(plan.blobs.map((blob) => blob.path));
    for (const revision of plan.revisions) {
      expect(await lstat(revision.snapshotPath).catch(() => undefined)).toBeUndefined();
    }
    const rescan = await manager.scan();
    expect(rescan.sizeOnDisk).toBe(after);
    expect(rescan.warnings).toEqual([]);
    // Repositories left without revisions are gone entirely.
    const evictedEverywhere = plan.revisions.filter(
      (revision) => !rescan.repositories.some((repository) => repository.id === revision.modelId),
    );
    for (const revision of evictedEverywhere) {
      expect(
        await lstat(path.dirname(path.dirname(revision.snapshotPath))).catch(() => undefined),
      ).toBeUndefined();
    }
    // Executing again does nothing more.
    expect(await plan.execute()).toBe(result);
  });

  test('pins are never evicted; when they keep the cache over budget the plan says so', async () => {
    await writeFourModels();
    const clock = manualClock(START);
    const manager = createCacheManager({
      cacheDirectory: cache.cacheDirectory,
      clock,
      pins: ['org/alpha', `org/gamma@main`],
    });
    const evicted: CacheEvictedEvent[] = [];
    const exceeded: unknown[] = [];
    manager.events.on('cache_evicted', (event) => evicted.push(event));
    manager.events.on('cache_budget_exceeded', (event) => exceeded.push(event));

    const plan = await manager.prune({ budget: MODEL_BYTES, pins: [`org/beta@${commitOf('org/beta')}`] });
    // Only delta is not pinned; evicting it is not enough.
    expect(plan.revisions.map((revision) => revision.modelId)).toEqual(['org/delta']);
    expect(plan.budget?.fits).toBe(false);
    expect(plan.budget?.pinned.map((pin) => pin.modelId)).toEqual(['org/alpha', 'org/beta', 'org/gamma']);
    expect(plan.budget?.message).toMatch(/3 pinned revisions .* never evicted/);
    expect(plan.expectedSizeAfterBytes).toBe(3 * MODEL_BYTES);

    const result = await plan.execute();
    expect(result.budget?.fits).toBe(false);
    expect(evicted.map((event) => [event.modelId, event.reason, event.freedBytes])).toEqual([
      ['org/delta', 'budget', MODEL_BYTES],
    ]);
    expect(exceeded).toEqual([{ budget: plan.budget, sizeOnDisk: 3 * MODEL_BYTES }]);
    const remaining = (await manager.scan()).repositories.map((repository) => repository.id);
    expect(remaining).toEqual(['org/alpha', 'org/beta', 'org/gamma']);
  });

  test('enforceBudget plans and executes with the manager’s budget, emits events and counts evictions', async () => {
    await writeFourModels();
    const store = memoryStore();
    const manager = createCacheManager({
      cacheDirectory: cache.cacheDirectory,
      clock: manualClock(START),
      budgetBytes: 3 * MODEL_BYTES,
      store,
    });
    const pruned: number[] = [];
    manager.events.on('cache_pruned', ({ result }) => pruned.push(result.freedBytes));
    await manager.recordUse('org/alpha');
    await manager.recordUse('org/beta');
    await manager.recordUse('org/gamma');

    const result = await manager.enforceBudget();
    // alpha, beta and gamma were used at the same instant: ties go by id.
    expect(result.removedRevisions.map((revision) => revision.modelId)).toEqual(['org/alpha']);
    expect(result.freedBytes).toBe(MODEL_BYTES);
    expect(pruned).toEqual([MODEL_BYTES]);
    expect(await diskUsage(cache.cacheDirectory)).toBe(3 * MODEL_BYTES);
    expect(await manager.statistics()).toMatchObject({
      evictions: 1,
      removedFiles: 0,
      freedBytes: MODEL_BYTES,
    });

    // Within budget now: nothing more to do.
    const again = await manager.enforceBudget();
    expect(again.removedRevisions).toEqual([]);
    expect(again.freedBytes).toBe(0);
    expect(await readdir(cache.cacheDirectory)).toEqual([
      'models--org--beta',
      'models--org--delta',
      'models--org--gamma',
    ]);
  });
});
