import { lstat, symlink, utimes, writeFile } from 'node:fs/promises';
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
} from './testing/cache-fixture.js';

let cache: TemporaryCache;
beforeEach(async () => {
  cache = await temporaryCache();
});
afterEach(async () => {
  await cache.cleanup();
});

/** Two revisions sharing the weights (sha256-named) and the tokenizer (git-sha1-named). */
async function writeModel() {
  const shared = { 'tokenizer.json': '{"vocab":{}}', ...onnxVariantFiles(['q8'], { sizeBytes: 4096 }) };
  const main = await writeCachedRevision(cache.cacheDirectory, {
    modelId: 'acme/tiny',
    commit: commitOf('main'),
    files: { ...shared, 'config.json': '{"main":true}' },
    refs: ['main'],
  });
  const old = await writeCachedRevision(cache.cacheDirectory, {
    modelId: 'acme/tiny',
    commit: commitOf('old'),
    files: { ...shared, 'config.json': '{"old":true}' },
  });
  return { main, old };
}

describe('verify', () => {
  test('a healthy cache checks out, hashing each shared blob once', async () => {
    const { main } = await writeModel();
    const report = await createCacheManager({ cacheDirectory: cache.cacheDirectory }).verify();
    expect(report.ok).toBe(true);
    expect(report.problems).toEqual([]);
    expect(report.files).toHaveLength(6);
    expect(report.files.every((file) => file.status === 'ok')).toBe(true);
    expect(report.checkedBlobs).toBe(4);
    expect(report.checkedBytes).toBe(4096 + 12 + 13 + 12);
    const weights = report.files.find(
      (file) => file.commit === commitOf('main') && file.path === 'onnx/model_quantized.onnx',
    );
    expect(weights).toMatchObject({
      algorithm: 'sha256',
      blobPath: main.blobPaths.get('onnx/model_quantized.onnx'),
      expectedHash: path.basename(main.blobPaths.get('onnx/model_quantized.onnx') as string),
    });
    expect(weights?.actualHash).toBe(weights?.expectedHash);
    const tokenizer = report.files.find((file) => file.path === 'tokenizer.json');
    expect(tokenizer?.algorithm).toBe('git-sha1');
  });

  test('detects a corrupted blob for every file linking to it, broken links and incomplete downloads', async () => {
    const { main } = await writeModel();
    const weights = main.blobPaths.get('onnx/model_quantized.onnx') as string;
    const config = main.blobPaths.get('config.json') as string;
    // Same length, different bytes: a flipped bit on disk.
    await writeFile(weights, Buffer.alloc(4096, 7));
    await writeFile(config, '{"main":false');
    await symlink('../../blobs/0123', path.join(main.snapshotPath, 'missing.json'));
    await writeFile(path.join(main.repositoryPath, 'blobs', `${'a'.repeat(64)}.incomplete`), 'half');
    await writeFile(path.join(main.repositoryPath, 'blobs', 'b'.repeat(64)), 'not what the name says');

    const report = await createCacheManager({ cacheDirectory: cache.cacheDirectory }).verify();
    expect(report.ok).toBe(false);
    const problems = report.problems.map((problem) => [
      problem.kind,
      problem.commit === undefined ? undefined : problem.commit.slice(0, 6),
      problem.file ?? path.basename(problem.path),
    ]);
    expect(problems).toEqual(
      expect.arrayContaining([
        ['corrupted', commitOf('main').slice(0, 6), 'onnx/model_quantized.onnx'],
        ['corrupted', commitOf('old').slice(0, 6), 'onnx/model_quantized.onnx'],
        ['corrupted', commitOf('main').slice(0, 6), 'config.json'],
        ['dangling-link', commitOf('main').slice(0, 6), 'missing.json'],
        ['incomplete-download', undefined, `${'a'.repeat(64)}.incomplete`],
        ['corrupted', undefined, 'b'.repeat(64)],
      ]),
    );
    expect(problems).toHaveLength(6);
    const corrupted = report.files.find((file) => file.status === 'corrupted' && file.path === 'config.json');
    expect(corrupted?.actualHash).not.toBe(corrupted?.expectedHash);
    expect(report.files.find((file) => file.path === 'missing.json')?.status).toBe('dangling-link');
    expect(report.files.find((file) => file.path === 'tokenizer.json')?.status).toBe('ok');
  });

  test('limits itself to the models asked for, and leaves access times alone', async () => {
    const { main } = await writeModel();
    await writeCachedRevision(cache.cacheDirectory, {
      modelId: 'acme/other',
      commit: commitOf('other'),
      files: { 'config.json': '{}' },
    });
    const weights = main.blobPaths.get('onnx/model_quantized.onnx') as string;
    await utimes(weights, FIXTURE_TIME / 1000, FIXTURE_TIME / 1000);
    const report = await createCacheManager({ cacheDirectory: cache.cacheDirectory }).verify({
      models: ['acme/other'],
    });
    expect(report.files.map((file) => file.modelId)).toEqual(['acme/other']);
    const everything = await createCacheManager({ cacheDirectory: cache.cacheDirectory }).verify();
    expect(everything.ok).toBe(true);
    expect((await lstat(weights)).atimeMs).toBe(FIXTURE_TIME);
  });

  test('stops when its signal aborts', async () => {
    await writeModel();
    const controller = new AbortController();
    controller.abort(new Error('stop'));
    await expect(
      createCacheManager({ cacheDirectory: cache.cacheDirectory }).verify({ signal: controller.signal }),
    ).rejects.toThrow('stop');
  });
});
