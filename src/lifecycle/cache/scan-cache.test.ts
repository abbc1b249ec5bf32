import { mkdir, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { manualClock } from '../../clock/manual-clock.js';
import { CacheError } from '../../errors/cache-error.js';
import { createCacheManager } from './create-cache-manager.js';
import {
  commitOf,
  diskUsage,
  FIXTURE_TIME,
  onnxVariantFiles,
  type TemporaryCache,
  temporaryCache,
  writeCachedRevision,
  writeReference,
} from './testing/cache-fixture.js';

const OLD = commitOf('old');
const NEW = commitOf('new');
const DAY = 86_400_000;

let cache: TemporaryCache;
beforeEach(async () => {
  cache = await temporaryCache();
});
afterEach(async () => {
  await cache.cleanup();
});

/** Two revisions of one model sharing the tokenizer and the q8 weights; `main` on the newer. */
async function writeTwoRevisions() {
  const shared = { 'tokenizer.json': '{"tokens":[]}', ...onnxVariantFiles(['q8'], { sizeBytes: 700 }) };
  const old = await writeCachedRevision(cache.cacheDirectory, {
    modelId: 'acme/tiny',
    commit: OLD,
    files: { ...shared, 'config.json': '{"v":1}', ...onnxVariantFiles(['fp32'], { sizeBytes: 1500 }) },
    refs: ['v1.0'],
    time: FIXTURE_TIME,
  });
  const current = await writeCachedRevision(cache.cacheDirectory, {
    modelId: 'acme/tiny',
    commit: NEW,
    files: { ...shared, 'config.json': '{"v":2}', ...onnxVariantFiles(['q4'], { sizeBytes: 300, seed: 2 }) },
    refs: ['main'],
    time: FIXTURE_TIME + DAY,
  });
  return { old, current };
}

describe('scan', () => {
  test('reports repositories, revisions and files in sub-folders, counting each shared blob once', async () => {
    const { old, current } = await writeTwoRevisions();
    await writeCachedRevision(cache.cacheDirectory, {
      modelId: 'solo',
      commit: commitOf('solo'),
      files: { 'config.json': '{}' },
      refs: ['main'],
    });
    const report = await createCacheManager({ cacheDirectory: cache.cacheDirectory }).scan();

    expect(report.exists).toBe(true);
    expect(report.directory).toBe(cache.cacheDirectory);
    expect(report.warnings).toEqual([]);
    expect(report.repositories.map((repository) => repository.id)).toEqual(['acme/tiny', 'solo']);
    expect(report.revisionCount).toBe(3);
    const [tiny] = report.repositories;
    if (!tiny) throw new Error('acme/tiny missing');
    expect(tiny.path).toBe(path.join(cache.cacheDirectory, 'models--acme--tiny'));
    // Most recently modified first.
    expect(tiny.revisions.map((revision) => [revision.commit, revision.refs])).toEqual([
      [NEW, ['main']],
      [OLD, ['v1.0']],
    ]);
    const [newest, oldest] = tiny.revisions as [(typeof tiny.revisions)[0], (typeof tiny.revisions)[0]];
    expect(newest.files.map((file) => file.path)).toEqual([
      'config.json',
      'onnx/model_q4.onnx',
      'onnx/model_quantized.onnx',
      'tokenizer.json',
    ]);
    const q4 = newest.files.find((file) => file.path === 'onnx/model_q4.onnx');
    expect(q4).toMatchObject({
      filePath: path.join(current.snapshotPath, 'onnx', 'model_q4.onnx'),
      blobPath: current.blobPaths.get('onnx/model_q4.onnx'),
      sizeOnDisk: 300,
      blobLastModified: FIXTURE_TIME + DAY,
    });
    expect(newest.snapshotPath).toBe(current.snapshotPath);
    expect(newest.sizeOnDisk).toBe(7 + 300 + 700 + 13);
    expect(oldest.sizeOnDisk).toBe(7 + 1500 + 700 + 13);
    // The tokenizer and q8 blobs are shared: the repository counts them once, plus its two refs.
    expect(old.blobPaths.get('onnx/model_quantized.onnx')).toBe(
      current.blobPaths.get('onnx/model_quantized.onnx'),
    );
    expect(tiny.sizeOnDisk).toBe(7 + 7 + 1500 + 300 + 700 + 13 + 2 * 40);
    expect(tiny.refs.map((reference) => [reference.name, reference.commit])).toEqual([
      ['main', NEW],
      ['v1.0', OLD],
    ]);
    expect(tiny.unreferencedBlobs).toEqual([]);
    // The report's total is what the folder holds on disk (blobs and refs; links hold nothing).
    expect(report.sizeOnDisk).toBe(await diskUsage(cache.cacheDirectory));
    expect(tiny.lastModified).toBe(FIXTURE_TIME + DAY);
    expect(oldest.lastModified).toBe(FIXTURE_TIME);
    expect(oldest.lastAccess).toBe(FIXTURE_TIME + DAY); // It shares blobs touched with the newer revision.
  });

  test('last access is the later of the recorded use and the blobs’ times', async () => {
    await writeTwoRevisions();
    const clock = manualClock(Date.UTC(2024, 5, 1));
    const manager = createCacheManager({ cacheDirectory: cache.cacheDirectory, clock });
    await manager.recordUse('acme/tiny'); // `main`, resolved to NEW.
    clock.advance(DAY);
    await manager.recordUse('acme/tiny', 'v1.0'); // A tag, resolved to OLD.
    clock.advance(DAY);
    await manager.recordUse('acme/later', 'main'); // Not cached yet: kept under the ref's name.

    const report = await manager.scan();
    const [tiny] = report.repositories;
    const byCommit = new Map(tiny?.revisions.map((revision) => [revision.commit, revision]));
    expect(byCommit.get(NEW)?.lastUse).toBe(Date.UTC(2024, 5, 1));
    expect(byCommit.get(NEW)?.lastAccess).toBe(Date.UTC(2024, 5, 1));
    expect(byCommit.get(OLD)?.lastUse).toBe(Date.UTC(2024, 5, 2));
    expect(tiny?.lastAccess).toBe(Date.UTC(2024, 5, 2));

    const later = commitOf('later');
    await writeCachedRevision(cache.cacheDirectory, {
      modelId: 'acme/later',
      commit: later,
      files: { 'config.json': '{}' },
      refs: ['main'],
    });
    const rescanned = await manager.scan();
    const laterRevision = rescanned.repositories.find((repository) => repository.id === 'acme/later')
      ?.revisions[0];
    expect(laterRevision?.lastUse).toBe(Date.UTC(2024, 5, 3));
  });

  test('broken entries become warnings instead of failing the scan', async () => {
    const { current } = await writeTwoRevisions();
    const repository = current.repositoryPath;
    await symlink(
      '../../blobs/0000000000000000000000000000000000000000',
      path.join(current.snapshotPath, 'gone.txt'),
    );
    await writeReference(repository, 'v0', commitOf('never downloaded'));
    await writeFile(path.join(repository, 'refs', 'broken'), 'not a sha');
    await mkdir(path.join(repository, 'snapshots', 'not-a-commit'));
    await mkdir(path.join(cache.cacheDirectory, 'datasets--acme--data', 'snapshots'), { recursive: true });
    await mkdir(path.join(cache.cacheDirectory, 'models--acme--no-snapshots', 'blobs'), { recursive: true });
    await mkdir(path.join(cache.cacheDirectory, '.locks', 'models--acme--tiny'), { recursive: true });
    await writeFile(path.join(cache.cacheDirectory, 'version.txt'), '1');
    await writeFile(path.join(repository, 'blobs', `${'e'.repeat(64)}.incomplete`), 'partial');

    const report = await createCacheManager({ cacheDirectory: cache.cacheDirectory }).scan();
    const warnings = report.warnings.map((warning) => [
      warning.kind,
      path.relative(cache.cacheDirectory, warning.path),
    ]);
    expect(warnings).toEqual(
      expect.arrayContaining([
        ['dangling-link', path.join('models--acme--tiny', 'snapshots', NEW, 'gone.txt')],
        ['invalid-ref', path.join('models--acme--tiny', 'refs', 'v0')],
        ['invalid-ref', path.join('models--acme--tiny', 'refs', 'broken')],
        ['invalid-snapshot', path.join('models--acme--tiny', 'snapshots', 'not-a-commit')],
        ['not-a-model', 'datasets--acme--data'],
        ['not-a-model', 'models--acme--no-snapshots'],
        ['not-a-model', 'version.txt'],
      ]),
    );
    expect(warnings).toHaveLength(7);
    const dangling = report.warnings.find((warning) => warning.kind === 'dangling-link');
    expect(dangling).toMatchObject({ modelId: 'acme/tiny', commit: NEW, file: 'gone.txt' });
    const [tiny] = report.repositories;
    expect(report.repositories).toHaveLength(1);
    expect(tiny?.revisions.find((revision) => revision.commit === NEW)?.files).toHaveLength(4);
    expect(tiny?.unreferencedBlobs).toMatchObject([{ incomplete: true, sizeOnDisk: 7 }]);
  });

  test('a missing cache folder is an empty cache; a file in its place is a CacheError', async () => {
    const missing = createCacheManager({ cacheDirectory: path.join(cache.root, 'nothing-here') });
    const report = await missing.scan();
    expect(report).toMatchObject({ exists: false, repositories: [], sizeOnDisk: 0, warnings: [] });

    const file = path.join(cache.root, 'a-file');
    await writeFile(file, 'x');
    const error = await createCacheManager({ cacheDirectory: file })
      .scan()
      .catch((caught: unknown) => caught);
    expect(CacheError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ reason: 'unreadable', directory: file });
  });
});
