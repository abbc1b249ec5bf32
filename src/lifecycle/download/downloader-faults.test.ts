// Faults between the downloader and a Hub, over real HTTP: a proxy in front of the local hub drops
// connections, corrupts content, answers 404, lists unsafe names, stalls; a wrapped file system
// runs out of space. Each one fails with a typed DownloadError, leaves no link to a missing or bad
// blob, and the next attempt succeeds, resuming the partial blob when there is one.
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { DownloadError } from '../../errors/download-error.js';
import { createDownloader } from './create-downloader.js';
import { type DownloadFileSystem, nodeDownloadFileSystem } from './download-file-system.js';
import type { DownloaderOptions } from './downloader-options.js';
import { checkCache, listTree } from './testing/cache-check.js';
import {
  createFaultProxy,
  type FaultPlan,
  type FaultProxy,
  type FaultRequest,
} from './testing/fault-proxy.js';
import { sha256Of } from './testing/hub-repository.js';
import { startTestBed, TEST_MODEL_ID, type TestBed, testModelFiles } from './testing/test-model.js';

const FILES = testModelFiles('v1');
const MODEL_BLOB = sha256Of(FILES['onnx/model.onnx']!);
const MODEL_SIZE = 300_000;
const REPOSITORY = 'models--acme--tiny-classifier';

let bed: TestBed;
let proxy: FaultProxy;
/** The fault of the current test, switched off (`undefined`) for the next attempt. */
let fault: ((request: FaultRequest) => FaultPlan | undefined) | undefined;

beforeEach(async () => {
  bed = await startTestBed();
  fault = undefined;
  proxy = await createFaultProxy({
    target: bed.hub.url,
    plan: (request) => fault?.(request) ?? { kind: 'pass' },
  });
});
afterEach(async () => {
  await proxy.close();
  await bed.close();
});

function downloader(options: Partial<DownloaderOptions> = {}) {
  return createDownloader({
    hubUrl: proxy.url,
    cacheDirectory: bed.cacheDirectory,
    // Retries do not wait: the backoff itself is tested in http-json.test.ts.
    sleep: async () => {},
    ...options,
  });
}

/**
 * The connection of the first model request breaks off once the client has written `bytes` of
 * it to disk (the proxy stalls there, and `client`'s progress drops it); later requests get `then`.
 */
function breakOffOnce(client: ReturnType<typeof downloader>, bytes: number, then?: FaultPlan): void {
  let requests = 0;
  fault = (request) => {
    if (!isModelFile(request)) return undefined;
    return requests++ === 0 ? { kind: 'stall', afterBytes: bytes } : then;
  };
  client.events.on('file_progress', (event) => {
    if (event.path === 'onnx/model.onnx' && event.bytes >= bytes) proxy.dropStalled();
  });
}

const isModelFile = (request: FaultRequest) =>
  request.method === 'GET' && request.url.endsWith('/onnx/model.onnx');
const modelRequests = () => proxy.requests.filter((request) => request.url.endsWith('/onnx/model.onnx'));
const incomplete = () => path.join(bed.cacheDirectory, REPOSITORY, 'blobs', `${MODEL_BLOB}.incomplete`);

async function failure(promise: Promise<unknown>): Promise<DownloadError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(DownloadError.isInstance(error)).toBe(true);
  return error as DownloadError;
}

/** Nothing in `snapshots/` (no link to a missing or bad blob), and no ref: the failed download left no model. */
async function expectNoSnapshot(): Promise<void> {
  const tree = await listTree(path.join(bed.cacheDirectory, REPOSITORY));
  expect(tree.filter((entry) => entry.startsWith('snapshots/') || entry.startsWith('refs/'))).toEqual([]);
  expect((await checkCache(bed.cacheDirectory)).problems).toEqual([]);
}

describe('a connection that breaks off mid-file', () => {
  test('fails as network, keeps the part; the next attempt resumes it with a Range request', async () => {
    // The first response breaks off after 100 000 bytes; the retries find the server gone.
    const client = downloader({ maxAttempts: 2, progressIntervalMs: 0 });
    breakOffOnce(client, 100_000, { kind: 'reset' });
    const error = await failure(client.download(TEST_MODEL_ID, { dtype: 'fp32' }));
    expect(error).toMatchObject({ reason: 'network', path: 'onnx/model.onnx', isRetryable: true });
    expect((await stat(incomplete())).size).toBe(100_000);
    await expectNoSnapshot();

    fault = undefined;
    const before = proxy.requests.length;
    const result = await downloader().download(TEST_MODEL_ID, { dtype: 'fp32' });
    const resumed = proxy.requests
      .slice(before)
      .filter((request) => request.url.endsWith('/onnx/model.onnx'));
    expect(resumed).toEqual([
      expect.objectContaining({ range: 'bytes=100000-', status: 206, bytesSent: 200_000 }),
    ]);
    expect(result.files.find((file) => file.path === 'onnx/model.onnx')).toMatchObject({
      blob: MODEL_BLOB,
      downloaded: true,
    });
    // Of the model, only the missing 200 000 bytes crossed the network.
    const others = result.files.filter((file) => file.downloaded && file.path !== 'onnx/model.onnx');
    expect(result.bytesDownloaded).toBe(200_000 + others.reduce((total, file) => total + file.sizeBytes, 0));
    expect(await checkCache(bed.cacheDirectory)).toEqual({ links: result.files.length, problems: [] });
    await expect(stat(incomplete())).rejects.toMatchObject({ code: 'ENOENT' });
  });

  test('within one download, a retry resumes from the part and finishes', async () => {
    const started: unknown[] = [];
    const client = downloader({ maxAttempts: 2, progressIntervalMs: 0 });
    breakOffOnce(client, 120_000);
    client.events.on('file_started', (event) => started.push(event));
    const result = await client.download(TEST_MODEL_ID, { dtype: 'fp32' });
    expect(modelRequests().map((request) => [request.range, request.bytesSent])).toEqual([
      [undefined, 120_000],
      ['bytes=120000-', 180_000],
    ]);
    // One file_started per file, not per attempt.
    expect(started.filter((event) => (event as { path: string }).path === 'onnx/model.onnx')).toHaveLength(1);
    expect((await checkCache(bed.cacheDirectory)).problems).toEqual([]);
    expect(result.files.find((file) => file.path === 'onnx/model.onnx')?.downloaded).toBe(true);
  });

  test('a server that ignores Range (answers 200) makes the download start over, verified', async () => {
    const client = downloader({ maxAttempts: 1, progressIntervalMs: 0 });
    // One attempt only: the download fails with the part on disk.
    breakOffOnce(client, 50_000);
    await failure(client.download(TEST_MODEL_ID, { dtype: 'fp32' }));
    expect((await stat(incomplete())).size).toBe(50_000);
    fault = (request) => (isModelFile(request) ? { kind: 'drop-range' } : undefined);
    const before = proxy.requests.length;
    await downloader().download(TEST_MODEL_ID, { dtype: 'fp32' });
    const full = proxy.requests.slice(before).filter((request) => request.url.endsWith('/onnx/model.onnx'));
    expect(full).toEqual([
      expect.objectContaining({ range: 'bytes=50000-', status: 200, bytesSent: MODEL_SIZE }),
    ]);
    expect((await checkCache(bed.cacheDirectory)).problems).toEqual([]);
  });

  test('a 206 whose Content-Range is not the range asked for drops the part; the retry fetches it whole', async () => {
    const client = downloader({ maxAttempts: 1, progressIntervalMs: 0 });
    // One attempt only: the download fails with the part on disk.
    breakOffOnce(client, 50_000);
    await failure(client.download(TEST_MODEL_ID, { dtype: 'fp32' }));
    fault = (request) =>
      isModelFile(request) && request.headers.range !== undefined
        ? { kind: 'content-range', value: `bytes 0-${MODEL_SIZE - 1}/${MODEL_SIZE}` }
        : undefined;
    await downloader({ maxAttempts: 2 }).download(TEST_MODEL_ID, { dtype: 'fp32' });
    expect(modelRequests().map((request) => [request.range, request.status])).toEqual([
      [undefined, 200],
      ['bytes=50000-', 206],
      [undefined, 200],
    ]);
    expect((await checkCache(bed.cacheDirectory)).problems).toEqual([]);
  });
});

describe('a listing whose sizes disagree with the server', () => {
  // Each full answer grows the part, each resume is refused (416, or a 206 for another range)
  // and drops it: the retries must still come to an end.
  for (const [label, delta] of [
    ['one byte more', 1],
    ['a thousand bytes less', -1_000],
  ] as const) {
    test(`${label}: fails after a bounded number of requests, with no link to the file`, async () => {
      fault = (request) =>
        request.url.includes('/tree/')
          ? {
              kind: 'json',
              transform: (body) =>
                (body as { path: string; size: number; lfs?: { size: number } }[]).map((entry) =>
                  entry.path === 'onnx/model.onnx'
                    ? {
                        ...entry,
                        size: entry.size + delta,
                        ...(entry.lfs ? { lfs: { ...entry.lfs, size: entry.lfs.size + delta } } : {}),
                      }
                    : entry,
                ),
            }
          : undefined;
      const error = await failure(downloader({ maxAttempts: 3 }).download(TEST_MODEL_ID, { dtype: 'fp32' }));
      expect(DownloadError.isInstance(error)).toBe(true);
      expect(modelRequests().length).toBeLessThanOrEqual(8);
      expect((await checkCache(bed.cacheDirectory)).problems).toEqual([]);
    });
  }
});

describe('content that does not match its etag', () => {
  test('is a checksum mismatch, leaves no blob and no part; the next attempt succeeds', async () => {
    fault = (request) => (isModelFile(request) ? { kind: 'corrupt' } : undefined);
    const error = await failure(downloader({ maxAttempts: 2 }).download(TEST_MODEL_ID, { dtype: 'fp32' }));
    expect(error).toMatchObject({ reason: 'checksum-mismatch', path: 'onnx/model.onnx' });
    expect(modelRequests()).toHaveLength(2);
    const blobs = await readdir(path.join(bed.cacheDirectory, REPOSITORY, 'blobs'));
    expect(blobs.filter((name) => name.startsWith(MODEL_BLOB))).toEqual([]);
    await expectNoSnapshot();

    fault = undefined;
    const result = await downloader().download(TEST_MODEL_ID, { dtype: 'fp32' });
    expect(result.files.find((file) => file.path === 'onnx/model.onnx')?.blob).toBe(MODEL_BLOB);
    expect((await checkCache(bed.cacheDirectory)).problems).toEqual([]);
  });
});

describe('a listed file the server does not have', () => {
  test('is not-found for that file; the next attempt links it and does not fetch the others again', async () => {
    fault = (request) =>
      request.url.endsWith('/tokenizer.json')
        ? { kind: 'status', status: 404, errorCode: 'EntryNotFound' }
        : undefined;
    const error = await failure(downloader({ concurrency: 1 }).download(TEST_MODEL_ID, { dtype: 'q8' }));
    expect(error).toMatchObject({ reason: 'not-found', path: 'tokenizer.json', isRetryable: false });
    await expectNoSnapshot();

    fault = undefined;
    const result = await downloader().download(TEST_MODEL_ID, { dtype: 'q8' });
    const fetched = result.files.filter((file) => file.downloaded).map((file) => file.path);
    expect(fetched).toContain('tokenizer.json');
    // Blobs finished before the failure stay in the cache and are reused.
    expect(fetched.length).toBeLessThan(result.files.length);
    expect(await checkCache(bed.cacheDirectory)).toEqual({ links: result.files.length, problems: [] });
  });
});

describe('a listing with unsafe file names', () => {
  test('../, absolute, backslash, %2e%2e, drive names: unsafe-path before anything is written; the next attempt succeeds', async () => {
    const names = [
      '../escaped.json',
      '../../../../tmp/escaped.json',
      '/etc/escaped.json',
      'onnx\\..\\..\\escaped.json',
      '%2e%2e/escaped.json',
      'onnx/%2E%2E/%2e%2e/escaped.json',
      'C:/escaped.json',
    ];
    for (const name of names) {
      fault = (request) =>
        request.url.includes('/tree/')
          ? {
              kind: 'json',
              transform: (body) => [
                ...(body as object[]),
                { type: 'file', oid: 'e69de29bb2d1d6434b8b29ae775ad8c2e48c5391', size: 0, path: name },
              ],
            }
          : undefined;
      const error = await failure(downloader().download(TEST_MODEL_ID, { dtype: 'q8' }));
      expect(error, name).toMatchObject({ reason: 'unsafe-path', path: name });
    }
    expect(await listTree(bed.cacheDirectory)).toEqual([]);
    expect(proxy.requests.some((request) => request.url.includes('/resolve/'))).toBe(false);

    fault = undefined;
    const result = await downloader().download(TEST_MODEL_ID, { dtype: 'q8' });
    expect((await checkCache(bed.cacheDirectory)).problems).toEqual([]);
    expect(result.files).toHaveLength(6);
  });

  test('a blob id that is not a hash is never used as a file name', async () => {
    fault = (request) =>
      request.url.includes('/tree/')
        ? {
            kind: 'json',
            transform: (body) =>
              (body as { path: string; oid: string; lfs?: object }[]).map((entry) =>
                entry.path === 'config.json' ? { ...entry, oid: '../../escaped' } : entry,
              ),
          }
        : undefined;
    // The id is ignored; the blob is named by the etag the file's headers give instead.
    const result = await downloader().download(TEST_MODEL_ID, { dtype: 'q8' });
    expect(result.files.find((file) => file.path === 'config.json')?.blob).toBe(
      sha256Of(FILES['config.json']!),
    );
    expect(
      proxy.requests.some((request) => request.method === 'HEAD' && request.url.endsWith('/config.json')),
    ).toBe(true);
    expect((await checkCache(bed.cacheDirectory)).problems).toEqual([]);
    expect((await listTree(bed.cacheDirectory)).some((entry) => entry.includes('escaped'))).toBe(false);
  });
});

describe('a full disk', () => {
  test('ENOSPC from the file system is a disk error; the next attempt resumes the part', async () => {
    let written = 0;
    const full: DownloadFileSystem = {
      ...nodeDownloadFileSystem,
      async openForWriting(file, mode) {
        const inner = await nodeDownloadFileSystem.openForWriting(file, mode);
        return {
          async write(chunk) {
            if (file.includes(MODEL_BLOB) && written + chunk.length > 150_000) {
              throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
            }
            if (file.includes(MODEL_BLOB)) written += chunk.length;
            await inner.write(chunk);
          },
          close: () => inner.close(),
        };
      },
    };
    const error = await failure(downloader({ fileSystem: full }).download(TEST_MODEL_ID, { dtype: 'fp32' }));
    expect(error).toMatchObject({ reason: 'disk', path: 'onnx/model.onnx', isRetryable: false });
    expect(error.message).toContain('ENOSPC');
    // Not retried: a full disk stays full.
    expect(modelRequests()).toHaveLength(1);
    const kept = (await stat(incomplete())).size;
    expect(kept).toBe(written);
    expect(kept).toBeGreaterThan(0);
    await expectNoSnapshot();

    const before = proxy.requests.length;
    await downloader().download(TEST_MODEL_ID, { dtype: 'fp32' });
    const resumed = proxy.requests
      .slice(before)
      .filter((request) => request.url.endsWith('/onnx/model.onnx'));
    expect(resumed).toEqual([
      expect.objectContaining({ range: `bytes=${kept}-`, bytesSent: MODEL_SIZE - kept }),
    ]);
    expect((await checkCache(bed.cacheDirectory)).problems).toEqual([]);
  });
});

describe('an abort', () => {
  test('is aborted, keeps the part; the next attempt resumes it', async () => {
    fault = (request) => (isModelFile(request) ? { kind: 'stall', afterBytes: 80_000 } : undefined);
    const controller = new AbortController();
    const client = downloader({ progressIntervalMs: 0 });
    client.events.on('file_progress', (event) => {
      if (event.path === 'onnx/model.onnx' && event.bytes >= 80_000)
        controller.abort(new Error('user cancelled'));
    });
    const error = await failure(client.download(TEST_MODEL_ID, { dtype: 'fp32', signal: controller.signal }));
    expect(error).toMatchObject({ reason: 'aborted', isRetryable: false });
    expect((await stat(incomplete())).size).toBe(80_000);
    await expectNoSnapshot();
    // The lock was released: nothing is left under .locks.
    expect(
      (await listTree(path.join(bed.cacheDirectory, '.locks'))).filter((entry) => entry.endsWith('.lock')),
    ).toEqual([]);

    fault = undefined;
    const before = proxy.requests.length;
    await downloader().download(TEST_MODEL_ID, { dtype: 'fp32' });
    expect(
      proxy.requests.slice(before).filter((request) => request.url.endsWith('/onnx/model.onnx')),
    ).toEqual([expect.objectContaining({ range: 'bytes=80000-', bytesSent: MODEL_SIZE - 80_000 })]);
    expect((await checkCache(bed.cacheDirectory)).problems).toEqual([]);
  });

  test('a download waiting for the same blob from another download of this process stops at once', async () => {
    fault = (request) => (isModelFile(request) ? { kind: 'stall', afterBytes: 80_000 } : undefined);
    const client = downloader({ progressIntervalMs: 0 });
    const first = new AbortController();
    const second = new AbortController();
    let others = Number.POSITIVE_INFINITY;
    let finished = 0;
    let modelStalled = false;
    let secondStarted = false;
    client.events.once('download_started', (event) => {
      others = event.files - 1;
    });
    // The first download is ready when every file but the stalled model is done.
    const firstReady = new Promise<void>((resolve) => {
      const check = () => {
        if (modelStalled && finished === others) resolve();
      };
      client.events.on('file_progress', (event) => {
        if (event.path === 'onnx/model.onnx' && event.bytes >= 80_000) modelStalled = true;
        check();
      });
      client.events.on('file_finished', () => {
        finished++;
        check();
        // Every other file of the second download is done: it waits for the model blob.
        if (secondStarted && finished === 2 * others) second.abort(new Error('user cancelled'));
      });
    });
    const firstDownload = failure(client.download(TEST_MODEL_ID, { dtype: 'fp32', signal: first.signal }));
    await firstReady;
    secondStarted = true;
    const running = client.download(TEST_MODEL_ID, { dtype: 'fp32', signal: second.signal });
    expect(await failure(running)).toMatchObject({ reason: 'aborted' });
    expect(finished).toBe(2 * others);
    // The first download was not disturbed: still waiting on its stalled transfer.
    first.abort(new Error('done'));
    expect((await firstDownload).reason).toBe('aborted');
    await expectNoSnapshot();
  });

  test('a download queued behind another under the concurrency limit stops at once', async () => {
    fault = (request) => (isModelFile(request) ? { kind: 'stall', afterBytes: 80_000 } : undefined);
    const client = downloader({ progressIntervalMs: 0, concurrency: 1 });
    const first = new AbortController();
    const second = new AbortController();
    const started = new Promise<void>((resolve) =>
      client.events.on('file_progress', (event) => {
        if (event.path === 'onnx/model.onnx' && event.bytes >= 80_000) resolve();
      }),
    );
    const firstDownload = failure(client.download(TEST_MODEL_ID, { dtype: 'fp32', signal: first.signal }));
    await started;
    client.events.on('download_started', () => second.abort(new Error('user cancelled')));
    const error = await failure(client.download(TEST_MODEL_ID, { dtype: 'q8', signal: second.signal }));
    expect(error).toMatchObject({ reason: 'aborted' });
    first.abort(new Error('done'));
    expect((await firstDownload).reason).toBe('aborted');
  });

  test('an already aborted signal fails before any request', async () => {
    const error = await failure(downloader().download(TEST_MODEL_ID, { signal: AbortSignal.abort() }));
    expect(error.reason).toBe('aborted');
    expect(proxy.requests).toEqual([]);
  });
});

describe('retryable statuses', () => {
  test('503 then success: retried with backoff and jitter from the seeded random source', async () => {
    let failures = 0;
    fault = (request) =>
      isModelFile(request) && failures++ < 2 ? { kind: 'status', status: 503 } : undefined;
    const waits: number[] = [];
    const client = downloader({
      initialDelayMs: 100,
      sleep: async (milliseconds) => {
        waits.push(milliseconds);
      },
    });
    await client.download(TEST_MODEL_ID, { dtype: 'fp32' });
    expect(modelRequests().map((request) => request.status)).toEqual([503, 503, 200]);
    expect(waits).toHaveLength(2);
    expect(waits[0]).toBeGreaterThanOrEqual(50);
    expect(waits[0]).toBeLessThanOrEqual(100);
    expect(waits[1]).toBeGreaterThanOrEqual(100);
    expect(waits[1]).toBeLessThanOrEqual(200);
  });
});
