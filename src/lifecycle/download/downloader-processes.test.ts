// Two processes download the same model into the same cache at the same time, through a slow
// server so their transfers overlap: the per-blob locks make each blob cross the network once,
// and both end with the same verified snapshot.
import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { afterEach, beforeEach, expect, test } from 'vitest';
import type { DownloadResult } from './download-result.js';
import { checkCache } from './testing/cache-check.js';
import { createFaultProxy, type FaultProxy } from './testing/fault-proxy.js';
import { startTestBed, TEST_MODEL_ID, type TestBed } from './testing/test-model.js';

const SCRIPT = path.join(import.meta.dirname, 'testing', 'download-process.ts');

let bed: TestBed;
let proxy: FaultProxy;
beforeEach(async () => {
  bed = await startTestBed();
  proxy = await createFaultProxy({
    target: bed.hub.url,
    plan: ({ url }) =>
      url.includes('/resolve/') ? { kind: 'throttle', chunkBytes: 32_768, delayMs: 15 } : { kind: 'pass' },
  });
});
afterEach(async () => {
  await proxy.close();
  await bed.close();
});

/** Starts a download process; resolves once it is loaded and waiting for the go. */
function start(): Promise<{ child: ChildProcess; result: Promise<DownloadResult> }> {
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      SCRIPT,
      JSON.stringify({ hubUrl: proxy.url, cacheDirectory: bed.cacheDirectory, modelId: TEST_MODEL_ID }),
    ],
    { stdio: ['pipe', 'pipe', 'pipe'] },
  );
  const lines = createInterface({ input: child.stdout! });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const output: string[] = [];
  return new Promise((resolveReady, rejectReady) => {
    const result = new Promise<DownloadResult>((resolve, reject) => {
      child.on('close', (code) => {
        if (code === 0 && output.length > 0) resolve(JSON.parse(output.at(-1)!) as DownloadResult);
        else reject(new Error(`download process exited with ${code}: ${stderr}`));
      });
    });
    lines.on('line', (line) => {
      if (line === 'ready') resolveReady({ child, result });
      else output.push(line);
    });
    child.on('error', rejectReady);
    child.on('close', (code) => rejectReady(new Error(`exited with ${code} before ready: ${stderr}`)));
  });
}

test('two processes downloading the same model share the blobs: each crosses the network once, all verified', async () => {
  const [first, second] = await Promise.all([start(), start()]);
  first.child.stdin!.write('go\n');
  second.child.stdin!.write('go\n');
  const [a, b] = await Promise.all([first.result, second.result]);
  expect(a.commit).toBe(b.commit);
  expect(a.path).toBe(b.path);
  const blobsOf = (result: DownloadResult) =>
    result.files.map((file) => [file.path, file.blob, file.sizeBytes]);
  expect(blobsOf(a)).toEqual(blobsOf(b));
  expect(a.files).toHaveLength(9);
  // Every file was transferred by exactly one of the two processes.
  for (const [index, file] of a.files.entries()) {
    expect(Number(file.downloaded) + Number(b.files[index]!.downloaded), file.path).toBe(1);
  }
  const transfers = proxy.requests.filter((request) => request.url.includes('/resolve/'));
  expect(transfers.map((request) => request.url).sort()).toEqual(
    a.files.map((file) => `/${TEST_MODEL_ID}/resolve/${a.commit}/${file.path}`).sort(),
  );
  expect(a.bytesDownloaded + b.bytesDownloaded).toBe(
    a.files.reduce((total, file) => total + file.sizeBytes, 0),
  );
  expect(await checkCache(bed.cacheDirectory)).toEqual({ links: 9, problems: [] });
}, 20_000);
