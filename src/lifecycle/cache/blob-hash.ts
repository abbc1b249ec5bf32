import { createHash } from 'node:crypto';
import { constants } from 'node:fs';
import { type FileHandle, open } from 'node:fs/promises';

/**
 * How a blob's name is computed from its content, as the Hub names its files:
 * - `'sha256'`: LFS files, named by the sha256 of their content (64 hex digits);
 * - `'git-sha1'`: regular git files, named by their git blob id, the sha1 of
 *   `"blob {size}\0"` followed by the content (40 hex digits).
 */
export type BlobHashAlgorithm = 'sha256' | 'git-sha1';

const SHA256_NAME = /^[0-9a-f]{64}$/;
const GIT_SHA1_NAME = /^[0-9a-f]{40}$/;

/** The algorithm a blob's name stands for, or `undefined` when it is not a content hash. @internal */
export function blobHashAlgorithm(name: string): BlobHashAlgorithm | undefined {
  if (SHA256_NAME.test(name)) return 'sha256';
  if (GIT_SHA1_NAME.test(name)) return 'git-sha1';
  return undefined;
}

/**
 * The hash of a file's content with `algorithm`, streamed. Where the system allows it
 * (`O_NOATIME`, Linux, files of the current user) the read leaves the access time alone;
 * elsewhere the access time is put back afterwards when possible, so verifying does not make
 * every blob look recently used to LRU eviction.
 * @internal
 */
export async function hashFile(
  filePath: string,
  algorithm: BlobHashAlgorithm,
  signal?: AbortSignal,
): Promise<string> {
  const { handle, keepsAccessTime } = await openForReading(filePath);
  try {
    const stats = await handle.stat();
    const hash = createHash(algorithm === 'sha256' ? 'sha256' : 'sha1');
    if (algorithm === 'git-sha1') hash.update(`blob ${stats.size}\0`);
    for await (const chunk of handle.createReadStream({ autoClose: false, start: 0 })) {
      signal?.throwIfAborted();
      hash.update(chunk as Buffer);
    }
    if (!keepsAccessTime) await handle.utimes(stats.atime, stats.mtime).catch(() => undefined);
    return hash.digest('hex');
  } finally {
    await handle.close();
  }
}

async function openForReading(filePath: string): Promise<{ handle: FileHandle; keepsAccessTime: boolean }> {
  const noAccessTime = (constants as { O_NOATIME?: number }).O_NOATIME;
  if (noAccessTime !== undefined) {
    try {
      return { handle: await open(filePath, constants.O_RDONLY | noAccessTime), keepsAccessTime: true };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EPERM') throw error;
    }
  }
  return { handle: await open(filePath, 'r'), keepsAccessTime: false };
}
