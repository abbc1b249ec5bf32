import { lstat, mkdir, readFile, rename, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { CacheError } from '../../errors/cache-error.js';
import { InvalidArgumentError } from '../../errors/invalid-argument-error.js';
import { createCacheManager } from './create-cache-manager.js';
import {
  commitOf,
  diskUsage,
  onnxVariantFiles,
  type TemporaryCache,
  temporaryCache,
  writeCachedRevision,
  writeReference,
} from './testing/cache-fixture.js';

let cache: TemporaryCache;
beforeEach(async () => {
  cache = await temporaryCache();
});
afterEach(async () => {
  await cache.cleanup();
});

const exists = async (target: string) => (await lstat(target).catch(() => undefined)) !== undefined;

describe('pruning never reaches outside the cache folder', () => {
  test('symlinks and crafted names pointing outside are reported, never followed, and left untouched', async () => {
    const outside = path.join(cache.root, 'outside');
    await mkdir(outside);
    const secret = path.join(outside, 'secret.bin');
    await writeFile(secret, 'TOP-SECRET');
    const outsideBlob = path.join(outside, 'blob.bin');
    await writeFile(outsideBlob, 'weights kept elsewhere');
    // A whole model written outside, and linked into the cache as a repository folder.
    await writeCachedRevision(outside, {
      modelId: 'evil/escape',
      commit: commitOf('escape'),
      files: { 'config.json': '{}', ...onnxVariantFiles(['fp32', 'q8']) },
      refs: ['main'],
    });
    await symlink(
      path.join(outside, 'models--evil--escape'),
      path.join(cache.cacheDirectory, 'models--evil--escape'),
    );

    const victim = await writeCachedRevision(cache.cacheDirectory, {
      modelId: 'acme/victim',
      commit: commitOf('victim'),
      files: { 'config.json': '{}', ...onnxVariantFiles(['fp32', 'q8']) },
      refs: ['main'],
    });
    // A snapshot entry climbing out of the cache with `..`.
    const climb = path.relative(victim.snapshotPath, secret);
    expect(climb.startsWith(`..${path.sep}..${path.sep}..${path.sep}..`)).toBe(true);
    await symlink(climb, path.join(victim.snapshotPath, 'leak.bin'));
    // A blob that is itself a link out, with a snapshot entry through it.
    const blobName = 'f'.repeat(64);
    await symlink(outsideBlob, path.join(victim.repositoryPath, 'blobs', blobName));
    await mkdir(path.join(victim.snapshotPath, 'onnx'), { recursive: true });
    await symlink(`../../../blobs/${blobName}`, path.join(victim.snapshotPath, 'onnx', 'model_fp16.onnx'));
    // A ref with a crafted path instead of a commit, and a snapshot folder linked outside.
    await writeReference(victim.repositoryPath, 'crafted', '../../../outside/secret.bin');
    await symlink(outside, path.join(victim.repositoryPath, 'snapshots', commitOf('linked')));
    const outsideBefore = await diskUsage(outside);

    const manager = createCacheManager({ cacheDirectory: cache.cacheDirectory, pins: [] });
    const report = await manager.scan();
    expect(report.repositories.map((repository) => repository.id)).toEqual(['acme/victim']);
    const kinds = report.warnings.map((warning) => [warning.kind, path.basename(warning.path)]);
    expect(kinds).toEqual(
      expect.arrayContaining([
        ['outside-link', 'models--evil--escape'],
        ['outside-link', 'leak.bin'],
        ['outside-link', 'model_fp16.onnx'],
        ['outside-link', blobName],
        ['outside-link', commitOf('linked')],
        ['invalid-ref', 'crafted'],
      ]),
    );
    // Nothing outside is counted.
    expect(report.sizeOnDisk).toBe(await diskUsage(cache.cacheDirectory));

    const plan = await manager.prune({ budget: 0, unusedRevisions: true, unusedDtypes: { keep: ['q8'] } });
    for (const entry of [
      ...plan.blobs.map((blob) => blob.path),
      ...plan.refs.map((reference) => reference.path),
    ]) {
      expect(entry.startsWith(`${cache.cacheDirectory}${path.sep}`)).toBe(true);
    }
    await plan.execute();
    await manager.enforceBudget({ budgetBytes: 0 });

    expect(await readFile(secret, 'utf8')).toBe('TOP-SECRET');
    expect(await readFile(outsideBlob, 'utf8')).toBe('weights kept elsewhere');
    expect(await diskUsage(outside)).toBe(outsideBefore);
    expect(
      await exists(
        path.join(outside, 'models--evil--escape', 'snapshots', commitOf('escape'), 'config.json'),
      ),
    ).toBe(true);
    // The victim's own snapshot is gone; the links that pointed out stay where they were (never deleted through).
    expect(await exists(path.join(victim.snapshotPath, 'config.json'))).toBe(false);
    expect(await exists(path.join(cache.cacheDirectory, 'models--evil--escape'))).toBe(true);
  });

  test('entries that changed between the plan and its execution are skipped', async () => {
    const outside = path.join(cache.root, 'outside');
    await mkdir(outside);
    await writeFile(path.join(outside, 'precious.txt'), 'keep me');
    const first = await writeCachedRevision(cache.cacheDirectory, {
      modelId: 'acme/first',
      commit: commitOf('first'),
      files: { 'config.json': '{"first":1}', ...onnxVariantFiles(['q8'], { seed: 1 }) },
      refs: ['main'],
    });
    const second = await writeCachedRevision(cache.cacheDirectory, {
      modelId: 'acme/second',
      commit: commitOf('second'),
      files: { 'config.json': '{"second":2}', ...onnxVariantFiles(['q8'], { seed: 2 }) },
      refs: ['main'],
    });
    const manager = createCacheManager({ cacheDirectory: cache.cacheDirectory });
    const plan = await manager.prune({ budget: 0 });
    expect(plan.revisions).toHaveLength(2);

    // Meanwhile: first's snapshot folder is swapped for a link out of the cache, and a download
    // of a new revision of second links its weights again and moves `main`.
    const moved = `${first.snapshotPath}-moved`;
    await rename(first.snapshotPath, moved);
    await symlink(outside, first.snapshotPath);
    const weights = second.blobPaths.get('onnx/model_quantized.onnx') as string;
    const fresh = await writeCachedRevision(cache.cacheDirectory, {
      modelId: 'acme/second',
      commit: commitOf('second-new'),
      files: { ...onnxVariantFiles(['q8'], { seed: 2 }) },
      refs: ['main'],
    });
    expect(fresh.blobPaths.get('onnx/model_quantized.onnx')).toBe(weights);

    const result = await plan.execute();
    expect(result.skipped).toEqual(
      expect.arrayContaining([
        { path: first.snapshotPath, reason: 'changed' },
        { path: path.join(second.repositoryPath, 'refs', 'main'), reason: 'changed' },
        { path: weights, reason: 'still-linked' },
      ]),
    );
    expect(await readFile(path.join(outside, 'precious.txt'), 'utf8')).toBe('keep me');
    expect(await readFile(path.join(fresh.snapshotPath, 'onnx', 'model_quantized.onnx'))).toHaveLength(1000);
    expect(await readFile(path.join(second.repositoryPath, 'refs', 'main'), 'utf8')).toBe(
      commitOf('second-new'),
    );
    expect(result.removedRevisions.map((revision) => revision.modelId)).toEqual(['acme/second']);
    expect(result.freedBytes).toBeLessThan(plan.expectedFreedBytes);
  });

  test('entries that cannot be removed fail the execution with a CacheError, after the others are removed', async () => {
    const written = await writeCachedRevision(cache.cacheDirectory, {
      modelId: 'acme/tiny',
      commit: commitOf('tiny'),
      files: { 'config.json': '{}', ...onnxVariantFiles(['fp32', 'q8', 'q4']) },
      refs: ['main'],
    });
    const other = await writeCachedRevision(cache.cacheDirectory, {
      modelId: 'acme/other',
      commit: commitOf('other'),
      files: { 'config.json': '{"other":1}', ...onnxVariantFiles(['fp32', 'q8'], { seed: 5 }) },
      refs: ['main'],
    });
    const manager = createCacheManager({ cacheDirectory: cache.cacheDirectory });
    const errors: unknown[] = [];
    manager.events.on('cache_error', ({ error }) => errors.push(error));
    const plan = await manager.prune({ unusedDtypes: { keep: ['q8'] } });
    expect(plan.files).toHaveLength(3);
    // tiny's onnx/ folder becomes a symlink loop: its entries can no longer be checked, so they fail.
    const onnx = path.join(written.snapshotPath, 'onnx');
    await rename(onnx, `${onnx}-away`);
    await symlink('onnx', onnx);

    const error = await plan.execute().catch((caught: unknown) => caught);
    expect(CacheError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({
      reason: 'delete-failed',
      paths: [path.join(onnx, 'model.onnx'), path.join(onnx, 'model_q4.onnx')],
    });
    expect(errors).toEqual([error]);
    // The other model's file went all the same.
    expect(await exists(path.join(other.snapshotPath, 'onnx', 'model.onnx'))).toBe(false);
    expect(await exists(path.join(other.snapshotPath, 'onnx', 'model_quantized.onnx'))).toBe(true);
  });

  test('model ids, revisions and pins cannot smuggle paths in', async () => {
    const manager = createCacheManager({ cacheDirectory: cache.cacheDirectory });
    for (const [modelId, revision] of [
      ['../evil', undefined],
      ['acme/../../x', undefined],
      ['acme/tiny', '../../refs'],
      ['acme/tiny', '/etc/passwd'],
      ['acme/tiny', 'main\0'],
    ] as const) {
      const error = await manager.recordUse(modelId, revision).catch((caught: unknown) => caught);
      expect(InvalidArgumentError.isInstance(error), `${modelId} ${revision}`).toBe(true);
    }
    expect(() => createCacheManager({ cacheDirectory: cache.cacheDirectory, pins: ['..'] })).toThrow(
      InvalidArgumentError,
    );
    expect(() =>
      createCacheManager({ cacheDirectory: cache.cacheDirectory, pins: ['acme/x@a/../b'] }),
    ).toThrow(InvalidArgumentError);
  });
});
