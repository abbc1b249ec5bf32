// Downloads into the Hugging Face cache layout from the local hub over real HTTP on 127.0.0.1:
// the layout, the file selection, the events, the hfCache provider and transformers.js on the result.
import { lstat, mkdtemp, readFile, readlink, realpath, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { createLocalHub } from '../../discovery/local-hub/create-local-hub.js';
import { hfCache } from '../../discovery/providers/hf-cache.js';
import { DownloadError } from '../../errors/download-error.js';
import { InvalidArgumentError } from '../../errors/invalid-argument-error.js';
import { transformersJsRunner } from '../../evaluation/runners/transformers-js-runner.js';
import { createDownloader } from './create-downloader.js';
import type { DownloaderEvents } from './downloader-events.js';
import { isHuggingFaceOffline } from './offline-mode.js';
import { checkCache, listTree } from './testing/cache-check.js';
import { createFaultProxy } from './testing/fault-proxy.js';
import { commitOf, gitBlobSha1Of, sha256Of } from './testing/hub-repository.js';
import { startTestBed, TEST_MODEL_ID, type TestBed, testModelFiles } from './testing/test-model.js';

const MODELS_ROOT = path.resolve(import.meta.dirname, '../../../examples/models');
const FILES = testModelFiles('v1');
const REPOSITORY = 'models--acme--tiny-classifier';
const Q8_FILES = [
  'README.md',
  'config.json',
  'onnx/model_quantized.onnx',
  'onnx/model_quantized.onnx_data',
  'tokenizer.json',
  'tokenizer_config.json',
];

let bed: TestBed;
beforeEach(async () => {
  bed = await startTestBed();
});
afterEach(async () => {
  await bed.close();
});

function recordEvents(events: ReturnType<typeof createDownloader>['events']) {
  const seen: { name: keyof DownloaderEvents; event: unknown }[] = [];
  const names: (keyof DownloaderEvents)[] = [
    'download_started',
    'file_started',
    'file_progress',
    'download_progress',
    'file_finished',
    'download_finished',
    'download_failed',
  ];
  for (const name of names) events.on(name, (event: unknown) => seen.push({ name, event }));
  return seen;
}

describe('createDownloader: the Hugging Face cache layout', () => {
  test('a q8 download fetches the q8 weights, their external data and every non-weight file, laid out like huggingface_hub', async () => {
    const downloader = createDownloader({ hubUrl: bed.hub.url, cacheDirectory: bed.cacheDirectory });
    const result = await downloader.download(TEST_MODEL_ID, { dtype: 'q8' });
    const commit = commitOf('v1');
    const repository = path.join(bed.cacheDirectory, REPOSITORY);
    expect(result).toMatchObject({
      modelId: TEST_MODEL_ID,
      commit,
      revision: 'main',
      path: path.join(repository, 'snapshots', commit),
      removedRevisions: [],
    });
    expect(result.files.map((file) => file.path)).toEqual(Q8_FILES);
    for (const file of result.files) {
      const content = FILES[file.path]!;
      const lfs = file.path.endsWith('.onnx') || file.path.endsWith('.onnx_data');
      expect(file).toEqual({
        path: file.path,
        sizeBytes: Buffer.from(content).length,
        blob: lfs ? sha256Of(content) : gitBlobSha1Of(content),
        downloaded: true,
      });
    }
    expect(result.bytesDownloaded).toBe(result.files.reduce((total, file) => total + file.sizeBytes, 0));
    // Relative links, one `../` more per sub-folder; the ref holds the commit.
    expect(await readlink(path.join(result.path, 'config.json'))).toBe(
      `../../blobs/${gitBlobSha1Of(FILES['config.json']!)}`,
    );
    expect(await readlink(path.join(result.path, 'onnx', 'model_quantized.onnx'))).toBe(
      `../../../blobs/${sha256Of(FILES['onnx/model_quantized.onnx']!)}`,
    );
    expect(await readFile(path.join(repository, 'refs', 'main'), 'utf8')).toBe(commit);
    expect((await lstat(path.join(result.path, 'config.json'))).isSymbolicLink()).toBe(true);
    const tree = await listTree(repository);
    expect(tree.filter((entry) => entry.startsWith('snapshots/'))).toEqual(
      Q8_FILES.map((file) => `snapshots/${commit}/${file}`),
    );
    expect(tree.filter((entry) => entry.startsWith('blobs/'))).toHaveLength(Q8_FILES.length);
    expect(tree.some((entry) => entry.endsWith('.incomplete'))).toBe(false);
    expect(await checkCache(bed.cacheDirectory)).toEqual({ links: Q8_FILES.length, problems: [] });
    // Lock folders live under <cache>/.locks/models--org--name/ and are released.
    expect(await listTree(path.join(bed.cacheDirectory, '.locks'))).toEqual([]);
  });

  test('a second download transfers nothing; another dtype adds only its weights to the same snapshot', async () => {
    const downloader = createDownloader({ hubUrl: bed.hub.url, cacheDirectory: bed.cacheDirectory });
    await downloader.download(TEST_MODEL_ID, { dtype: 'q8' });
    const again = await downloader.download(TEST_MODEL_ID, { dtype: 'q8' });
    expect(again.bytesDownloaded).toBe(0);
    expect(again.files.every((file) => !file.downloaded)).toBe(true);
    const fp32 = await downloader.download(TEST_MODEL_ID, { dtype: 'fp32' });
    expect(fp32.files.filter((file) => file.downloaded).map((file) => file.path)).toEqual([
      'onnx/model.onnx',
    ]);
    expect(fp32.bytesDownloaded).toBe(300_000);
    expect(await listTree(fp32.path)).toEqual([...Q8_FILES, 'onnx/model.onnx'].sort());
    expect((await checkCache(bed.cacheDirectory)).problems).toEqual([]);
  });

  test('events: started, per-file started/progress/finished, overall progress up to the total, finished', async () => {
    const downloader = createDownloader({
      hubUrl: bed.hub.url,
      cacheDirectory: bed.cacheDirectory,
      progressIntervalMs: 0,
      concurrency: 2,
    });
    const seen = recordEvents(downloader.events);
    const result = await downloader.download(TEST_MODEL_ID, { dtype: 'q8' });
    const started = seen.filter((entry) => entry.name === 'download_started');
    expect(started).toEqual([
      {
        name: 'download_started',
        event: {
          modelId: TEST_MODEL_ID,
          revision: 'main',
          commit: result.commit,
          files: 6,
          totalBytes: result.bytesDownloaded,
        },
      },
    ]);
    expect(seen.filter((entry) => entry.name === 'file_started')).toHaveLength(6);
    const finished = seen.filter((entry) => entry.name === 'file_finished').map((entry) => entry.event);
    expect(finished).toHaveLength(6);
    expect(finished).toContainEqual(
      expect.objectContaining({
        path: 'onnx/model_quantized.onnx',
        downloaded: true,
        bytesReceived: 120_000,
      }),
    );
    const weights = seen
      .filter((entry) => entry.name === 'file_progress')
      .map((entry) => entry.event as DownloaderEvents['file_progress'][0])
      .filter((event) => event.path === 'onnx/model_quantized.onnx');
    expect(weights.length).toBeGreaterThan(0);
    expect(weights.at(-1)).toMatchObject({ bytes: 120_000, totalBytes: 120_000, etaMs: 0 });
    for (const event of weights) {
      expect(event.bytesPerSecond).toBeGreaterThanOrEqual(0);
      expect(event.bytes).toBeLessThanOrEqual(event.totalBytes);
    }
    const overall = seen
      .filter((entry) => entry.name === 'download_progress')
      .map((entry) => entry.event as DownloaderEvents['download_progress'][0]);
    expect(overall.map((event) => event.bytes)).toEqual(
      [...overall.map((event) => event.bytes)].sort((a, b) => a - b),
    );
    expect(overall.at(-1)).toMatchObject({
      bytes: result.bytesDownloaded,
      totalBytes: result.bytesDownloaded,
    });
    expect(seen.at(-1)).toMatchObject({
      name: 'download_finished',
      event: { commit: result.commit, files: 6, bytesDownloaded: result.bytesDownloaded, path: result.path },
    });
  });

  test('progress is throttled: with a long interval only the last report of each file is sent', async () => {
    const downloader = createDownloader({
      hubUrl: bed.hub.url,
      cacheDirectory: bed.cacheDirectory,
      progressIntervalMs: 60_000,
      concurrency: 1,
    });
    const seen = recordEvents(downloader.events);
    await downloader.download(TEST_MODEL_ID, { dtype: 'fp32' });
    const progress = seen.filter((entry) => entry.name === 'file_progress');
    // The first chunk of each file reports (nothing reported yet), then only its completion.
    expect(progress.length).toBeLessThanOrEqual(2 * 5);
    const model = progress
      .map((entry) => entry.event as DownloaderEvents['file_progress'][0])
      .filter((event) => event.path === 'onnx/model.onnx');
    expect(model.at(-1)).toMatchObject({ bytes: 300_000 });
  });
});

describe('createDownloader: choosing files', () => {
  test('allow and ignore globs (picomatch, a trailing / for a folder) select files', async () => {
    const downloader = createDownloader({ hubUrl: bed.hub.url, cacheDirectory: bed.cacheDirectory });
    const json = await downloader.download(TEST_MODEL_ID, { allow: ['*.json'] });
    expect(json.files.map((file) => file.path)).toEqual([
      'config.json',
      'tokenizer.json',
      'tokenizer_config.json',
    ]);
    const noOnnx = await downloader.download(TEST_MODEL_ID, { ignore: ['onnx/', '*.safetensors'] });
    expect(noOnnx.files.map((file) => file.path)).toEqual([
      'README.md',
      'config.json',
      'tokenizer.json',
      'tokenizer_config.json',
    ]);
    const both = await downloader.download(TEST_MODEL_ID, { dtype: 'fp16', allow: ['onnx/**'] });
    expect(both.files.map((file) => file.path)).toEqual(['onnx/model_fp16.onnx']);
  });

  test('pickle weights are skipped, refused when asked for by name, fetched with allowPickle', async () => {
    const downloader = createDownloader({ hubUrl: bed.hub.url, cacheDirectory: bed.cacheDirectory });
    const all = await downloader.download(TEST_MODEL_ID);
    expect(all.files.map((file) => file.path)).not.toContain('pytorch_model.bin');
    expect(all.files.map((file) => file.path)).toContain('model.safetensors');
    const refused = await downloader
      .download(TEST_MODEL_ID, { allow: ['*.bin'] })
      .catch((error: unknown) => error);
    expect(DownloadError.isInstance(refused)).toBe(true);
    expect(refused).toMatchObject({
      reason: 'pickle-refused',
      path: 'pytorch_model.bin',
      isRetryable: false,
    });
    const trusted = createDownloader({
      hubUrl: bed.hub.url,
      cacheDirectory: bed.cacheDirectory,
      allowPickle: true,
    });
    const pickle = await trusted.download(TEST_MODEL_ID, { allow: ['pytorch_model.bin'] });
    expect(pickle.files).toEqual([
      {
        path: 'pytorch_model.bin',
        sizeBytes: 10_000,
        blob: sha256Of(FILES['pytorch_model.bin']!),
        downloaded: true,
      },
    ]);
  });

  test('a dtype the repository has no ONNX weights for, and a missing repository, are not-found', async () => {
    const downloader = createDownloader({ hubUrl: bed.hub.url, cacheDirectory: bed.cacheDirectory });
    await expect(downloader.download(TEST_MODEL_ID, { dtype: 'q4' })).rejects.toMatchObject({
      name: 'DownloadError',
      reason: 'not-found',
      message: expect.stringContaining('fp32, fp16, q8') as unknown,
    });
    await expect(downloader.download('acme/missing')).rejects.toMatchObject({ reason: 'not-found' });
    await expect(downloader.download(TEST_MODEL_ID, { revision: 'v9' })).rejects.toMatchObject({
      reason: 'not-found',
    });
    expect(await listTree(bed.cacheDirectory)).toEqual([]);
  });
});

describe('createDownloader: options and arguments', () => {
  test('invalid model ids, revisions, patterns and options are InvalidArgumentErrors', async () => {
    const downloader = createDownloader({ hubUrl: bed.hub.url, cacheDirectory: bed.cacheDirectory });
    for (const modelId of ['../etc', 'a/b/c', '', 'a/..', '%2e%2e/x']) {
      await expect(downloader.download(modelId)).rejects.toSatisfy(InvalidArgumentError.isInstance);
    }
    for (const revision of ['..', 'a/../b', 'main/..', '%2e']) {
      await expect(downloader.download(TEST_MODEL_ID, { revision })).rejects.toSatisfy(
        InvalidArgumentError.isInstance,
      );
    }
    await expect(downloader.download(TEST_MODEL_ID, { allow: [''] })).rejects.toSatisfy(
      InvalidArgumentError.isInstance,
    );
    expect(() => createDownloader({ hubUrl: 'ftp://example.test' })).toThrow(/hubUrl/);
    expect(() => createDownloader({ accessToken: 'not-a-token' })).toThrow(/accessToken/);
    expect(() => createDownloader({ concurrency: 0 })).toThrow(/concurrency/);
    expect(() => createDownloader({ keepRevisions: 0 })).toThrow(/keepRevisions/);
    expect(() => createDownloader({ updatePolicy: 'sometimes' as 'auto' })).toThrow(/updatePolicy/);
  });

  test('the cache folder follows HF_HUB_CACHE, then HF_HOME; HF_HUB_OFFLINE turns offline mode on', () => {
    expect(createDownloader({ environment: { HF_HUB_CACHE: '/tmp/hub-cache' } }).cacheDirectory).toBe(
      path.resolve('/tmp/hub-cache'),
    );
    expect(createDownloader({ environment: { HF_HOME: '/tmp/hf-home' } }).cacheDirectory).toBe(
      path.resolve('/tmp/hf-home/hub'),
    );
    for (const value of ['1', 'true', 'TRUE', 'yes', 'on'])
      expect(isHuggingFaceOffline({ HF_HUB_OFFLINE: value })).toBe(true);
    for (const value of [undefined, '', '0', 'false', 'no']) {
      expect(isHuggingFaceOffline({ HF_HUB_OFFLINE: value })).toBe(false);
    }
  });

  test('the access token is sent as a bearer token and never appears in errors or events', async () => {
    const token = 'hf_SecretTokenValue123456';
    const proxy = await createFaultProxy({
      target: bed.hub.url,
      plan: ({ url }) => (url.includes('config.json') ? { kind: 'status', status: 500 } : { kind: 'pass' }),
    });
    try {
      const downloader = createDownloader({
        hubUrl: proxy.url,
        cacheDirectory: bed.cacheDirectory,
        accessToken: token,
        maxAttempts: 2,
        sleep: async () => {},
      });
      const failures: unknown[] = [];
      downloader.events.on('download_failed', (event) => failures.push(event));
      const error = await downloader
        .download(TEST_MODEL_ID, { dtype: 'q8' })
        .catch((caught: unknown) => caught);
      expect(error).toMatchObject({ reason: 'network', path: 'config.json', isRetryable: true });
      expect(proxy.requests.every((request) => request.authorization === `Bearer ${token}`)).toBe(true);
      expect(JSON.stringify(failures)).not.toContain(token);
      expect(String((error as Error).message)).not.toContain(token);
      expect(String((error as Error).stack)).not.toContain(token);
      expect(proxy.requests.filter((request) => request.url.includes('config.json'))).toHaveLength(2);
    } finally {
      await proxy.close();
    }
  });
});

describe('createDownloader: an unreachable Hub', () => {
  test('is a retryable network error after the attempts, with nothing written', async () => {
    // Port 9 (discard) on 127.0.0.1: nothing listens there.
    const downloader = createDownloader({
      hubUrl: 'http://127.0.0.1:9',
      cacheDirectory: bed.cacheDirectory,
      maxAttempts: 2,
      sleep: async () => {},
    });
    await expect(downloader.download(TEST_MODEL_ID)).rejects.toMatchObject({
      name: 'DownloadError',
      reason: 'network',
      isRetryable: true,
    });
    await expect(downloader.checkForUpdates(TEST_MODEL_ID)).rejects.toMatchObject({ reason: 'network' });
    expect(await listTree(bed.cacheDirectory)).toEqual([]);
  });

  test('a revision the cache holds is resolved from the cache, as huggingface_hub does', async () => {
    const online = await createDownloader({
      hubUrl: bed.hub.url,
      cacheDirectory: bed.cacheDirectory,
    }).download(TEST_MODEL_ID, { revision: 'v1', dtype: 'q8' });
    expect(online.fromCache).toBe(false);
    const unreachable = createDownloader({
      hubUrl: 'http://127.0.0.1:9',
      cacheDirectory: bed.cacheDirectory,
      maxAttempts: 1,
    });
    const finished: unknown[] = [];
    unreachable.events.on('download_finished', (event) => finished.push(event));
    const cached = await unreachable.download(TEST_MODEL_ID, { revision: 'v1', dtype: 'q8' });
    expect(cached).toMatchObject({
      commit: online.commit,
      path: online.path,
      bytesDownloaded: 0,
      fromCache: true,
    });
    expect(finished).toEqual([expect.objectContaining({ fromCache: true, commit: online.commit })]);
    // What the cache does not hold is still the network failure.
    await expect(
      unreachable.download(TEST_MODEL_ID, { revision: 'v1', dtype: 'fp16' }),
    ).rejects.toMatchObject({
      reason: 'network',
    });
    await expect(unreachable.download(TEST_MODEL_ID)).rejects.toMatchObject({ reason: 'network' });
  });
});

describe('createDownloader: offline', () => {
  test('offline, a revision resolves from refs to the snapshot without any request; a missing one is offline', async () => {
    const online = createDownloader({ hubUrl: bed.hub.url, cacheDirectory: bed.cacheDirectory });
    const downloaded = await online.download(TEST_MODEL_ID, { dtype: 'q8', revision: 'v1' });
    // Port 9 (discard) on 127.0.0.1: any request would fail; offline mode makes none.
    const offline = createDownloader({
      hubUrl: 'http://127.0.0.1:9',
      cacheDirectory: bed.cacheDirectory,
      environment: { HF_HUB_OFFLINE: '1' },
    });
    const result = await offline.download(TEST_MODEL_ID, { revision: 'v1', dtype: 'q8' });
    expect(result).toMatchObject({
      commit: downloaded.commit,
      path: downloaded.path,
      bytesDownloaded: 0,
      fromCache: true,
    });
    expect(result.files).toEqual(downloaded.files.map((file) => ({ ...file, downloaded: false })));
    const byCommit = await offline.download(TEST_MODEL_ID, { revision: downloaded.commit });
    expect(byCommit.files.map((file) => file.path)).toEqual(Q8_FILES);
    await expect(offline.download(TEST_MODEL_ID, { revision: 'main' })).rejects.toMatchObject({
      reason: 'offline',
    });
    await expect(offline.download(TEST_MODEL_ID, { revision: 'v1', dtype: 'fp16' })).rejects.toMatchObject({
      reason: 'offline',
    });
    await expect(offline.download('acme/other')).rejects.toMatchObject({ reason: 'offline' });
    await expect(offline.checkForUpdates(TEST_MODEL_ID)).rejects.toMatchObject({ reason: 'offline' });
  });
});

describe('createDownloader: the result is a model', () => {
  test('hfCache() finds the snapshot and transformersJsRunner loads and runs it (zoo model, q8)', async () => {
    const zoo = await createLocalHub({ root: MODELS_ROOT });
    const cacheDirectory = await mkdtemp(path.join(tmpdir(), 'modelscout-zoo-cache-'));
    try {
      const downloader = createDownloader({ hubUrl: zoo.url, cacheDirectory });
      const result = await downloader.download('modelscout/sst2-bow-logreg', { dtype: 'q8' });
      expect(result.files.map((file) => file.path)).toEqual([
        'README.md',
        'config.json',
        'onnx/model_quantized.onnx',
        'special_tokens_map.json',
        'tokenizer.json',
        'tokenizer_config.json',
      ]);
      const candidate = await hfCache({ cacheDir: cacheDirectory }).getModel('modelscout/sst2-bow-logreg');
      expect(candidate).toMatchObject({
        id: 'modelscout/sst2-bow-logreg',
        provider: 'hf-cache',
        revision: result.commit,
        dtypes: ['q8'],
        localPath: await realpath(result.path),
      });
      const runner = transformersJsRunner();
      const model = await runner.load(candidate!, 'text-classification', { dtype: 'q8' });
      try {
        const predictions = await model.predict(['a wonderful, moving film', 'dull and lifeless']);
        expect(predictions).toHaveLength(2);
        expect(model.dtype).toBe('q8');
      } finally {
        await model.dispose();
      }
    } finally {
      await zoo.close();
      await rm(cacheDirectory, { recursive: true, force: true });
    }
  });
});
