// Versions: pinning by branch, tag or commit; update checks under each policy; keeping N revisions.
// The local hub serves a repository in the cache layout, whose refs the tests move between commits.
import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { hfCache } from '../../discovery/providers/hf-cache.js';
import { createDownloader } from './create-downloader.js';
import { nodeDownloadFileSystem } from './download-file-system.js';
import type { UpdateAvailableEvent } from './downloader-events.js';
import type { DownloaderOptions } from './downloader-options.js';
import { checkCache, listTree } from './testing/cache-check.js';
import { commitOf, gitBlobSha1Of, sha256Of, writeHubCommit } from './testing/hub-repository.js';
import { startTestBed, TEST_MODEL_ID, type TestBed, testModelFiles } from './testing/test-model.js';

const REPOSITORY = 'models--acme--tiny-classifier';
const V1 = commitOf('v1');
const V2 = commitOf('v2');
const V3 = commitOf('v3');

let bed: TestBed;
beforeEach(async () => {
  bed = await startTestBed();
  await writeHubCommit(bed.root, TEST_MODEL_ID, { commit: V2, refs: ['v2'], files: testModelFiles('v2') });
  await writeHubCommit(bed.root, TEST_MODEL_ID, { commit: V3, refs: ['v3'], files: testModelFiles('v3') });
});
afterEach(async () => {
  await bed.close();
});

function downloader(options: Partial<DownloaderOptions> = {}) {
  return createDownloader({ hubUrl: bed.hub.url, cacheDirectory: bed.cacheDirectory, ...options });
}

/** Moves a branch of the hub's repository to `commit` (a push). */
async function moveHubRef(ref: string, commit: string): Promise<void> {
  await writeFile(path.join(bed.root, REPOSITORY, 'refs', ref), commit);
}

const cacheRef = (ref: string) => readFile(path.join(bed.cacheDirectory, REPOSITORY, 'refs', ref), 'utf8');
const snapshots = async () =>
  (await readdir(path.join(bed.cacheDirectory, REPOSITORY, 'snapshots')).catch(() => [])).sort();

describe('pinning a revision', () => {
  test('a tag, a branch and a commit each resolve to their snapshot; refs are written for names only', async () => {
    const client = downloader({ keepRevisions: Number.POSITIVE_INFINITY });
    const tagged = await client.download(TEST_MODEL_ID, { revision: 'v2', dtype: 'q8' });
    expect(tagged).toMatchObject({ revision: 'v2', commit: V2 });
    expect(await cacheRef('v2')).toBe(V2);
    const branch = await client.download(TEST_MODEL_ID, { dtype: 'q8' });
    expect(branch).toMatchObject({ revision: 'main', commit: V1 });
    expect(await cacheRef('main')).toBe(V1);
    const pinned = await client.download(TEST_MODEL_ID, { revision: V3, dtype: 'q8' });
    expect(pinned).toMatchObject({
      revision: V3,
      commit: V3,
      path: path.join(bed.cacheDirectory, REPOSITORY, 'snapshots', V3),
    });
    expect((await listTree(path.join(bed.cacheDirectory, REPOSITORY, 'refs'))).sort()).toEqual([
      'main',
      'v2',
    ]);
    expect(await snapshots()).toEqual([V1, V2, V3].sort());
    // The unchanged tokenizer files are one blob each, shared by the three snapshots.
    const tokenizer = gitBlobSha1Of(testModelFiles('v1')['tokenizer.json']!);
    expect(tagged.files.find((file) => file.path === 'tokenizer.json')).toMatchObject({
      blob: tokenizer,
      downloaded: true,
    });
    expect(pinned.files.find((file) => file.path === 'tokenizer.json')).toMatchObject({
      blob: tokenizer,
      downloaded: false,
    });
    // hfCache reads the same refs.
    const cache = hfCache({ cacheDir: bed.cacheDirectory });
    expect((await cache.getModel(TEST_MODEL_ID, { revision: 'v2' }))?.revision).toBe(V2);
    expect((await cache.getModel(TEST_MODEL_ID))?.revision).toBe(V1);
    expect((await checkCache(bed.cacheDirectory)).problems).toEqual([]);
  });
});

describe('checkForUpdates', () => {
  test('never downloaded: no local commit, no update', async () => {
    const check = await downloader().checkForUpdates(TEST_MODEL_ID);
    expect(check).toEqual({
      modelId: TEST_MODEL_ID,
      revision: 'main',
      localCommit: undefined,
      remoteCommit: V1,
      updateAvailable: false,
      downloaded: undefined,
    });
  });

  test("'notify' reports a moved branch and emits update_available; a commit never has an update", async () => {
    const client = downloader();
    const events: UpdateAvailableEvent[] = [];
    client.events.on('update_available', (event) => events.push(event));
    await client.download(TEST_MODEL_ID, { dtype: 'q8' });
    expect((await client.checkForUpdates(TEST_MODEL_ID)).updateAvailable).toBe(false);
    await moveHubRef('main', V2);
    const check = await client.checkForUpdates(TEST_MODEL_ID);
    expect(check).toMatchObject({
      localCommit: V1,
      remoteCommit: V2,
      updateAvailable: true,
      downloaded: undefined,
    });
    expect(events).toEqual([{ modelId: TEST_MODEL_ID, revision: 'main', localCommit: V1, remoteCommit: V2 }]);
    expect(await cacheRef('main')).toBe(V1);
    await client.download(TEST_MODEL_ID, { revision: V1 });
    expect(await client.checkForUpdates(TEST_MODEL_ID, { revision: V1 })).toMatchObject({
      localCommit: V1,
      remoteCommit: V1,
      updateAvailable: false,
    });
  });

  test("'pinned' reports without an event, and download() stays at the cached commit", async () => {
    const client = downloader({ updatePolicy: 'pinned' });
    const events: UpdateAvailableEvent[] = [];
    client.events.on('update_available', (event) => events.push(event));
    await client.download(TEST_MODEL_ID, { dtype: 'q8' });
    await moveHubRef('main', V2);
    expect(await client.checkForUpdates(TEST_MODEL_ID)).toMatchObject({
      updateAvailable: true,
      downloaded: undefined,
    });
    expect(events).toEqual([]);
    // Still V1, and files that commit lacked in the cache come from V1 too.
    const again = await client.download(TEST_MODEL_ID, { dtype: 'fp16' });
    expect(again.commit).toBe(V1);
    expect(again.files.find((file) => file.path === 'onnx/model_fp16.onnx')?.blob).toBe(
      sha256Of(testModelFiles('v1')['onnx/model_fp16.onnx']!),
    );
    expect(await snapshots()).toEqual([V1]);
  });

  test("'auto' downloads the new commit, with the cached snapshot's files when no options are given", async () => {
    const client = downloader({ updatePolicy: 'auto' });
    const events: UpdateAvailableEvent[] = [];
    client.events.on('update_available', (event) => events.push(event));
    const first = await client.download(TEST_MODEL_ID, { dtype: 'q8' });
    await moveHubRef('main', V2);
    const check = await client.checkForUpdates(TEST_MODEL_ID);
    expect(check).toMatchObject({ localCommit: V1, remoteCommit: V2, updateAvailable: true });
    expect(check.downloaded).toMatchObject({ commit: V2, revision: 'main' });
    // The same six q8 files, not the whole repository.
    expect(check.downloaded?.files.map((file) => file.path)).toEqual(first.files.map((file) => file.path));
    expect(events).toHaveLength(1);
    expect(await cacheRef('main')).toBe(V2);
    expect((await client.checkForUpdates(TEST_MODEL_ID)).updateAvailable).toBe(false);
    // Options given are used as they are.
    await moveHubRef('main', V3);
    const fp16 = await client.checkForUpdates(TEST_MODEL_ID, { dtype: 'fp16' });
    expect(fp16.downloaded?.files.map((file) => file.path)).toContain('onnx/model_fp16.onnx');
    expect(fp16.downloaded?.files.map((file) => file.path)).not.toContain('onnx/model_quantized.onnx');
  });
});

describe('keepRevisions', () => {
  test('keeps the newest N snapshots; removes older ones, their refs and only the blobs nothing links to', async () => {
    const client = downloader({ keepRevisions: 2 });
    const removedEvents: unknown[] = [];
    client.events.on('revisions_removed', (event) => removedEvents.push(event));
    const first = await client.download(TEST_MODEL_ID, { revision: 'v1', dtype: 'q8' });
    await client.download(TEST_MODEL_ID, { revision: 'v2', dtype: 'q8' });
    expect(await snapshots()).toEqual([V1, V2].sort());
    const third = await client.download(TEST_MODEL_ID, { revision: 'v3', dtype: 'q8' });
    expect(third.removedRevisions).toEqual([V1]);
    expect(await snapshots()).toEqual([V2, V3].sort());
    expect((await listTree(path.join(bed.cacheDirectory, REPOSITORY, 'refs'))).sort()).toEqual(['v2', 'v3']);
    const blobs = await readdir(path.join(bed.cacheDirectory, REPOSITORY, 'blobs'));
    const v1Only = first.files.filter(
      (file) => file.path.startsWith('onnx/') || file.path === 'config.json' || file.path === 'README.md',
    );
    for (const file of v1Only) expect(blobs).not.toContain(file.blob);
    // The tokenizer blobs are shared with the kept snapshots: still there, still linked.
    for (const file of first.files.filter((entry) => entry.path.startsWith('tokenizer')))
      expect(blobs).toContain(file.blob);
    expect(removedEvents).toEqual([
      {
        modelId: TEST_MODEL_ID,
        commits: [V1],
        blobs: v1Only.length,
        bytesFreed: v1Only.reduce((total, file) => total + file.sizeBytes, 0),
      },
    ]);
    expect(await checkCache(bed.cacheDirectory)).toEqual({ links: 12, problems: [] });
  });

  test('pins: a pinned commit or tag survives the cleanup with its ref; a pinned model keeps everything', async () => {
    const byCommit = downloader({ keepRevisions: 1, pins: [`${TEST_MODEL_ID}@${V1}`] });
    await byCommit.download(TEST_MODEL_ID, { revision: 'v1', dtype: 'q8' });
    await byCommit.download(TEST_MODEL_ID, { revision: 'v2', dtype: 'q8' });
    const third = await byCommit.download(TEST_MODEL_ID, { revision: 'v3', dtype: 'q8' });
    expect(third.removedRevisions).toEqual([V2]);
    expect(await snapshots()).toEqual([V1, V3].sort());
    expect((await listTree(path.join(bed.cacheDirectory, REPOSITORY, 'refs'))).sort()).toEqual(['v1', 'v3']);

    const byTag = downloader({ keepRevisions: 1, pins: [`${TEST_MODEL_ID}@v3`] });
    const again = await byTag.download(TEST_MODEL_ID, { revision: 'v2', dtype: 'q8' });
    expect(again.removedRevisions).toEqual([V1]);
    expect(await snapshots()).toEqual([V2, V3].sort());

    const wholeModel = downloader({ keepRevisions: 1, pins: [TEST_MODEL_ID] });
    const kept = await wholeModel.download(TEST_MODEL_ID, { revision: 'v1', dtype: 'q8' });
    expect(kept.removedRevisions).toEqual([]);
    expect(await snapshots()).toEqual([V1, V2, V3].sort());
    expect(await checkCache(bed.cacheDirectory)).toMatchObject({ problems: [] });
    expect(() => downloader({ pins: ['../etc@main'] })).toThrow(/pins/);
  });

  test("a download's cleanup never removes the snapshot another download of this process is linking", async () => {
    // The v1 download is held while it links its snapshot, until v2's download
    // (keepRevisions 1, so it would remove v1) has finished.
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    let reachedSnapshot: () => void = () => undefined;
    const atSnapshot = new Promise<void>((resolve) => {
      reachedSnapshot = resolve;
    });
    let snapshotCalls = 0;
    const client = downloader({
      keepRevisions: 1,
      fileSystem: {
        ...nodeDownloadFileSystem,
        async makeDirectory(directory) {
          // Held while it links the snapshot (the second time the folder is made), before the ref is written.
          if (directory.endsWith(path.join('snapshots', V1)) && ++snapshotCalls === 2) {
            reachedSnapshot();
            await held;
          }
          return nodeDownloadFileSystem.makeDirectory(directory);
        },
      },
    });
    const first = client.download(TEST_MODEL_ID, { revision: 'v1', dtype: 'q8' });
    await atSnapshot;
    const second = await client.download(TEST_MODEL_ID, { revision: 'v2', dtype: 'q8' });
    expect(second.removedRevisions).toEqual([]);
    release();
    const result = await first;
    expect((await readdir(result.path, { recursive: true })).length).toBeGreaterThan(0);
    expect((await cacheRef('v1')).trim()).toBe(V1);
    expect(await checkCache(bed.cacheDirectory)).toMatchObject({ problems: [] });
  });

  test('Infinity keeps every snapshot; a blob another snapshot links to is never removed', async () => {
    const client = downloader({ keepRevisions: Number.POSITIVE_INFINITY });
    for (const revision of ['v1', 'v2', 'v3'])
      await client.download(TEST_MODEL_ID, { revision, allow: ['tokenizer*'] });
    expect(await snapshots()).toHaveLength(3);
    const one = downloader({ keepRevisions: 1 });
    const result = await one.download(TEST_MODEL_ID, { revision: 'v3', allow: ['tokenizer*'] });
    expect(result.removedRevisions.slice().sort()).toEqual([V1, V2].sort());
    expect(await snapshots()).toEqual([V3]);
    expect(await checkCache(bed.cacheDirectory)).toEqual({ links: 2, problems: [] });
  });
});
