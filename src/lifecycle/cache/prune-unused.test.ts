import { lstat, readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { fakeBytes } from '../../discovery/providers/fake-model-files.js';
import { InvalidArgumentError } from '../../errors/invalid-argument-error.js';
import type { CacheFilesRemovedEvent } from './cache-events.js';
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

const DAY = 86_400_000;
const MODEL = 'acme/tiny';

let cache: TemporaryCache;
beforeEach(async () => {
  cache = await temporaryCache();
});
afterEach(async () => {
  await cache.cleanup();
});

const exists = async (target: string) => (await lstat(target).catch(() => undefined)) !== undefined;

describe('prune unused revisions', () => {
  /** Five revisions, a day apart: 1, 2 and 5 unreferenced; 3 tagged `v1`; 4 on `main`. All share the tokenizer. */
  async function writeFiveRevisions() {
    const written = [];
    for (let index = 1; index <= 5; index++) {
      written.push(
        await writeCachedRevision(cache.cacheDirectory, {
          modelId: MODEL,
          commit: commitOf(`r${index}`),
          files: {
            'tokenizer.json': '{"shared":true}',
            'config.json': `{"revision":${index}}`,
            ...onnxVariantFiles(['q8'], { sizeBytes: 100 * index, seed: index }),
          },
          refs: index === 3 ? ['v1'] : index === 4 ? ['main'] : [],
          time: FIXTURE_TIME + index * DAY,
        }),
      );
    }
    return written;
  }

  test('removes snapshots no ref points to, keeping the newest N, and only blobs nothing links to', async () => {
    const written = await writeFiveRevisions();
    const manager = createCacheManager({ cacheDirectory: cache.cacheDirectory });
    const before = await diskUsage(cache.cacheDirectory);

    const plan = await manager.prune({ unusedRevisions: { keepNewest: 1 } });
    expect(plan.revisions.map((revision) => [revision.commit, revision.reason])).toEqual([
      [commitOf('r2'), 'unused-revision'],
      [commitOf('r1'), 'unused-revision'],
    ]);
    // Their configs and weights go; the shared tokenizer stays.
    expect(plan.blobs).toHaveLength(4);
    const tokenizer = written[0]?.blobPaths.get('tokenizer.json') as string;
    expect(plan.blobs.map((blob) => blob.path)).not.toContain(tokenizer);
    expect(plan.refs).toEqual([]);
    expect(plan.expectedFreedBytes).toBe(`{"revision":1}`.length * 2 + 100 + 200);

    const result = await plan.execute();
    expect(before - (await diskUsage(cache.cacheDirectory))).toBe(plan.expectedFreedBytes);
    expect(result.freedBytes).toBe(plan.expectedFreedBytes);
    const snapshots = await readdir(path.join(written[0]?.repositoryPath as string, 'snapshots'));
    expect(snapshots.sort()).toEqual([commitOf('r3'), commitOf('r4'), commitOf('r5')].sort());
    // The kept revisions still read through their links.
    const mainTokenizer = path.join(written[3]?.snapshotPath as string, 'tokenizer.json');
    expect(await readFile(mainTokenizer, 'utf8')).toBe('{"shared":true}');
    expect((await manager.scan()).warnings).toEqual([]);
  });

  test('keeps none by default, and never a pinned revision', async () => {
    await writeFiveRevisions();
    const manager = createCacheManager({
      cacheDirectory: cache.cacheDirectory,
      pins: [`${MODEL}@${commitOf('r1')}`],
    });
    const plan = await manager.prune({ unusedRevisions: true });
    expect(plan.revisions.map((revision) => revision.commit)).toEqual([commitOf('r5'), commitOf('r2')]);
    const all = await manager.prune({ unusedRevisions: true, pins: [] });
    expect(all.revisions).toHaveLength(2);
    const unpinned = createCacheManager({ cacheDirectory: cache.cacheDirectory });
    expect((await unpinned.prune({ unusedRevisions: { keepNewest: 0 } })).revisions).toHaveLength(3);
  });
});

describe('prune unused dtype variants', () => {
  /** `main` with four dtypes of `model` (fp16 with external data) and a decoder in fp32 only; an older revision shares fp16. */
  async function writeVariants() {
    const fp16 = onnxVariantFiles(['fp16'], { sizeBytes: 400, seed: 7 });
    const main = await writeCachedRevision(cache.cacheDirectory, {
      modelId: MODEL,
      commit: commitOf('main'),
      files: {
        'config.json': '{}',
        ...onnxVariantFiles(['fp32', 'q8', 'q4'], { sizeBytes: 300 }),
        ...fp16,
        'onnx/model_fp16.onnx_data': fakeBytes(250, 3),
        'onnx/decoder_model.onnx': fakeBytes(120, 4),
      },
      refs: ['main'],
      time: FIXTURE_TIME + DAY,
    });
    const old = await writeCachedRevision(cache.cacheDirectory, {
      modelId: MODEL,
      commit: commitOf('old'),
      files: { 'config.json': '{"old":1}', ...fp16 },
      time: FIXTURE_TIME,
    });
    return { main, old };
  }

  test('removes ONNX files of other dtypes (and their external data), keeping parts without a kept dtype', async () => {
    const { main, old } = await writeVariants();
    const manager = createCacheManager({ cacheDirectory: cache.cacheDirectory });
    const removedEvents: CacheFilesRemovedEvent[] = [];
    manager.events.on('cache_files_removed', (event) => removedEvents.push(event));
    const before = await diskUsage(cache.cacheDirectory);

    const plan = await manager.prune({ unusedDtypes: { keep: ['q8'] } });
    const byRevision = (commit: string) =>
      plan.files.filter((file) => file.commit === commit).map((file) => [file.path, file.dtype]);
    expect(byRevision(commitOf('main'))).toEqual([
      ['onnx/model.onnx', 'fp32'],
      ['onnx/model_fp16.onnx', 'fp16'],
      ['onnx/model_fp16.onnx_data', 'fp16'],
      ['onnx/model_q4.onnx', 'q4'],
    ]);
    // The old revision has no q8 file for `model`: pruning never leaves a part without weights.
    expect(byRevision(commitOf('old'))).toEqual([]);
    expect(plan.notes).toEqual([
      `${MODEL}@${commitOf('main')}: kept every dtype of onnx/decoder_model, which has none of q8`,
      `${MODEL}@${commitOf('old')}: kept every dtype of onnx/model, which has none of q8`,
    ]);
    // fp16 is still linked by the old revision: its blob stays, and frees nothing.
    const fp16Blob = main.blobPaths.get('onnx/model_fp16.onnx') as string;
    expect(old.blobPaths.get('onnx/model_fp16.onnx')).toBe(fp16Blob);
    expect(plan.blobs.map((blob) => blob.path)).not.toContain(fp16Blob);
    expect(plan.expectedFreedBytes).toBe(300 + 250 + 300);
    expect(plan.revisions).toEqual([]);

    const result = await plan.execute();
    expect(before - (await diskUsage(cache.cacheDirectory))).toBe(plan.expectedFreedBytes);
    expect(result.removedFiles).toEqual(plan.files);
    expect((await readdir(path.join(main.snapshotPath, 'onnx'))).sort()).toEqual([
      'decoder_model.onnx',
      'model_quantized.onnx',
    ]);
    expect(await exists(fp16Blob)).toBe(true);
    expect(removedEvents).toEqual([
      {
        modelId: MODEL,
        commit: commitOf('main'),
        paths: ['onnx/model.onnx', 'onnx/model_fp16.onnx', 'onnx/model_fp16.onnx_data', 'onnx/model_q4.onnx'],
        dtypes: ['fp32', 'fp16', 'q4'],
        freedBytes: 850,
      },
    ]);
    expect(await manager.statistics()).toMatchObject({ evictions: 0, removedFiles: 4, freedBytes: 850 });
  });

  test('a blob goes once the last revision linking it drops the dtype; pins and model lists limit it', async () => {
    const { main } = await writeVariants();
    const manager = createCacheManager({ cacheDirectory: cache.cacheDirectory });
    const fp16Blob = main.blobPaths.get('onnx/model_fp16.onnx') as string;

    const both = await manager.prune({ unusedDtypes: { keep: ['q8', 'fp32'] } });
    expect(both.files.map((file) => [file.commit, file.path])).toEqual([
      [commitOf('main'), 'onnx/model_fp16.onnx'],
      [commitOf('main'), 'onnx/model_fp16.onnx_data'],
      [commitOf('main'), 'onnx/model_q4.onnx'],
    ]);

    const keepFp32 = await manager.prune({ unusedDtypes: { keep: ['fp32'] } });
    // The old revision's `model` has only fp16, none of the kept dtypes: it keeps it, so the blob stays.
    expect(keepFp32.blobs.map((blob) => blob.path)).not.toContain(fp16Blob);

    const pinned = await manager.prune({ unusedDtypes: { keep: ['q8'] }, pins: [MODEL] });
    expect(pinned.files).toEqual([]);
    const otherModel = await manager.prune({ unusedDtypes: { keep: ['q8'], models: ['acme/other'] } });
    expect(otherModel.files).toEqual([]);

    // With the old revision gone too (unused), the fp16 blob has no link left and goes.
    const combined = await manager.prune({ unusedDtypes: { keep: ['q8'] }, unusedRevisions: true });
    expect(combined.revisions.map((revision) => revision.commit)).toEqual([commitOf('old')]);
    expect(combined.blobs.map((blob) => blob.path)).toContain(fp16Blob);
    const before = await diskUsage(cache.cacheDirectory);
    await combined.execute();
    expect(before - (await diskUsage(cache.cacheDirectory))).toBe(combined.expectedFreedBytes);
    expect(await exists(fp16Blob)).toBe(false);
  });

  test('rejects unknown dtypes and a prune without any strategy', async () => {
    const manager = createCacheManager({ cacheDirectory: cache.cacheDirectory });
    for (const options of [
      {},
      { unusedDtypes: { keep: ['int4'] } },
      { unusedDtypes: { keep: [] } },
      { unusedDtypes: { keep: ['q8'], models: ['../evil'] } },
      { unusedRevisions: { keepNewest: -1 } },
      { budget: -5 },
      { budget: 'all' },
      { pins: ['acme/tiny@../../x'] },
      { unusedRevisions: true, surprise: 1 },
    ]) {
      const error = await manager.prune(options as never).catch((caught: unknown) => caught);
      expect(InvalidArgumentError.isInstance(error), JSON.stringify(options)).toBe(true);
    }
  });
});
