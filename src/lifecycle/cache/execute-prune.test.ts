// Executing a plan after the disk changed under it: what was made or re-pointed since the plan
// is kept and reported, never removed with the revision it landed in.
import { lstat, readFile, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { createCacheManager } from './create-cache-manager.js';
import {
  commitOf,
  FIXTURE_TIME,
  onnxVariantFiles,
  type TemporaryCache,
  temporaryCache,
  writeCachedRevision,
  writeReference,
} from './testing/cache-fixture.js';

const DAY = 86_400_000;

let cache: TemporaryCache;
beforeEach(async () => {
  cache = await temporaryCache();
});
afterEach(async () => {
  await cache.cleanup();
});

const exists = async (target: string) => (await lstat(target).catch(() => undefined)) !== undefined;

describe('executing a plan the disk changed under', () => {
  test('a file added to a planned snapshot is kept with its blob; only the entries the plan saw go', async () => {
    const written = await writeCachedRevision(cache.cacheDirectory, {
      modelId: 'acme/tiny',
      commit: commitOf('tiny'),
      files: { 'config.json': '{"tiny":1}', ...onnxVariantFiles(['fp32']) },
      refs: ['main'],
    });
    const manager = createCacheManager({ cacheDirectory: cache.cacheDirectory });
    const plan = await manager.prune({ budget: 0 });
    expect(plan.revisions.map((revision) => revision.snapshotPath)).toEqual([written.snapshotPath]);

    // Meanwhile a download adds the fp16 weights to the same revision: a new blob and its link.
    const addedBlob = path.join(written.repositoryPath, 'blobs', 'a'.repeat(64));
    await writeFile(addedBlob, 'fp16 weights downloaded after the plan');
    const addedLink = path.join(written.snapshotPath, 'onnx', 'model_fp16.onnx');
    await symlink(`../../../blobs/${'a'.repeat(64)}`, addedLink);

    const result = await plan.execute();
    expect(await readFile(addedLink, 'utf8')).toBe('fp16 weights downloaded after the plan');
    // The planned entries and the blobs only they linked to are gone.
    expect(await exists(path.join(written.snapshotPath, 'config.json'))).toBe(false);
    expect(await exists(path.join(written.snapshotPath, 'onnx', 'model.onnx'))).toBe(false);
    expect([...result.removedBlobs].sort()).toEqual([...written.blobPaths.values()].sort());
    // The revision was not removed whole: its snapshot and its ref stay, reported as changed.
    expect(result.removedRevisions).toEqual([]);
    const main = path.join(written.repositoryPath, 'refs', 'main');
    expect(result.skipped).toEqual([
      { path: addedLink, reason: 'changed' },
      { path: main, reason: 'changed' },
    ]);
    expect(await readFile(main, 'utf8')).toBe(commitOf('tiny'));
  });

  test('a revision a ref was moved onto after the plan is kept whole, with its blobs', async () => {
    const old = await writeCachedRevision(cache.cacheDirectory, {
      modelId: 'acme/tiny',
      commit: commitOf('old'),
      files: { 'config.json': '{"old":1}', ...onnxVariantFiles(['q8'], { seed: 1 }) },
      time: FIXTURE_TIME,
    });
    const current = await writeCachedRevision(cache.cacheDirectory, {
      modelId: 'acme/tiny',
      commit: commitOf('current'),
      files: { 'config.json': '{"current":1}', ...onnxVariantFiles(['q8'], { seed: 2 }) },
      refs: ['main'],
      time: FIXTURE_TIME + DAY,
    });
    const manager = createCacheManager({ cacheDirectory: cache.cacheDirectory });
    const plan = await manager.prune({ unusedRevisions: true });
    expect(plan.revisions.map((revision) => revision.commit)).toEqual([commitOf('old')]);
    expect(plan.refs).toEqual([]);

    // Meanwhile the host tags the old revision (and `main` is rolled back onto it).
    await writeReference(old.repositoryPath, 'v1', commitOf('old'));
    await writeReference(old.repositoryPath, 'main', commitOf('old'));

    const result = await plan.execute();
    expect(result.removedRevisions).toEqual([]);
    expect(result.removedBlobs).toEqual([]);
    expect(result.freedBytes).toBe(0);
    expect(result.skipped).toEqual([
      { path: old.snapshotPath, reason: 'changed' },
      ...[...old.blobPaths.values()].map((blob) => ({ path: blob, reason: 'still-linked' })),
    ]);
    for (const file of old.blobPaths.keys()) {
      expect(await exists(path.join(old.snapshotPath, ...file.split('/')))).toBe(true);
    }
    expect(await exists(current.snapshotPath)).toBe(true);
  });

  test('the broken links the scan warned about go with their snapshot', async () => {
    const written = await writeCachedRevision(cache.cacheDirectory, {
      modelId: 'acme/tiny',
      commit: commitOf('tiny'),
      files: { 'config.json': '{}', ...onnxVariantFiles(['q8']) },
    });
    const dangling = path.join(written.snapshotPath, 'onnx', 'gone.onnx');
    await symlink('../../../blobs/nothing', dangling);
    const manager = createCacheManager({ cacheDirectory: cache.cacheDirectory });
    const report = await manager.scan();
    expect(report.warnings.map((warning) => [warning.kind, warning.path])).toEqual([
      ['dangling-link', dangling],
    ]);

    const plan = await manager.prune({ unusedRevisions: true });
    const result = await plan.execute();
    expect(result.removedRevisions.map((revision) => revision.commit)).toEqual([commitOf('tiny')]);
    expect(result.skipped).toEqual([]);
    expect(await exists(written.snapshotPath)).toBe(false);
  });
});
