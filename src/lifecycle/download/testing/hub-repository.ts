import { createHash } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { cacheFolderName } from '../../../discovery/providers/hf-cache-layout.js';
import { seededRandom } from '../../../random/seeded-random.js';

/** A commit sha made from a label, so tests can name commits (`commitOf('v1')`). */
export function commitOf(label: string): string {
  return createHash('sha1').update(`commit:${label}`).digest('hex');
}

/** `size` bytes that look random, the same for the same seed (weights of a test repository). */
export function seededBytes(size: number, seed: string): Uint8Array {
  const random = seededRandom(seed);
  const bytes = new Uint8Array(size);
  for (let index = 0; index < size; index++) bytes[index] = Math.floor(random.next() * 256);
  return bytes;
}

/**
 * Writes one commit of a repository into the root of a local hub, in the cache layout the local
 * hub serves (`models--org--name/snapshots/{commit}/…` as plain files, `refs/{name}` = commit),
 * so tests get a Hub with branches, tags and several commits. Returns the commit.
 */
export async function writeHubCommit(
  root: string,
  modelId: string,
  {
    commit,
    refs = [],
    files,
  }: {
    commit: string;
    /** Branches and tags pointing to this commit, e.g. `['main', 'v1']`. */
    refs?: readonly string[];
    files: Readonly<Record<string, string | Uint8Array>>;
  },
): Promise<string> {
  const repository = path.join(root, cacheFolderName(modelId));
  const snapshot = path.join(repository, 'snapshots', commit);
  for (const [filePath, content] of Object.entries(files)) {
    const target = path.join(snapshot, ...filePath.split('/'));
    await mkdir(path.dirname(target), { recursive: true });
    await writeFile(target, content);
  }
  await mkdir(path.join(repository, 'refs'), { recursive: true });
  for (const ref of refs) await writeFile(path.join(repository, 'refs', ref), commit);
  return commit;
}

/** The sha256 of `content`, hex (the blob id of a Git LFS file). */
export function sha256Of(content: string | Uint8Array): string {
  return createHash('sha256').update(content).digest('hex');
}

/** The Git blob sha1 of `content`, hex (the blob id of a small file). */
export function gitBlobSha1Of(content: string | Uint8Array): string {
  const bytes = typeof content === 'string' ? Buffer.from(content) : content;
  return createHash('sha1').update(`blob ${bytes.length}\0`).update(bytes).digest('hex');
}
