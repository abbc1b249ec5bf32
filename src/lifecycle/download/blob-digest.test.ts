import { createHash } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect, test } from 'vitest';
import { createBlobDigest, digestFilePrefix } from './blob-digest.js';

const content = Buffer.from('hello, cache\n');

test('a 64-hex blob id is checked as the sha256 of the content', () => {
  const sha256 = createHash('sha256').update(content).digest('hex');
  const digest = createBlobDigest(sha256, content.length);
  digest.update(content.subarray(0, 5));
  digest.update(content.subarray(5));
  expect(digest.matches()).toBe(true);
  const wrong = createBlobDigest(sha256, content.length);
  wrong.update(Buffer.from('hello, cachE\n'));
  expect(wrong.matches()).toBe(false);
});

test('a 40-hex blob id is checked as the Git blob sha1 (git hash-object)', () => {
  // `printf 'hello, cache\n' | git hash-object --stdin`
  const gitSha1 = createHash('sha1').update(`blob ${content.length}\0`).update(content).digest('hex');
  const digest = createBlobDigest(gitSha1, content.length);
  digest.update(content);
  expect(digest.digest()).toBe(gitSha1);
  // The empty blob of Git.
  const empty = createBlobDigest('e69de29bb2d1d6434b8b29ae775ad8c2e48c5391', 0);
  expect(empty.matches()).toBe(true);
});

test('digestFilePrefix feeds the part already on disk', async () => {
  const directory = await mkdtemp(path.join(tmpdir(), 'modelscout-digest-'));
  try {
    const file = path.join(directory, 'part');
    await writeFile(file, content.subarray(0, 7));
    const sha256 = createHash('sha256').update(content).digest('hex');
    const digest = createBlobDigest(sha256, content.length);
    await digestFilePrefix(file, 7, digest);
    digest.update(content.subarray(7));
    expect(digest.matches()).toBe(true);
  } finally {
    await rm(directory, { recursive: true, force: true });
  }
});
