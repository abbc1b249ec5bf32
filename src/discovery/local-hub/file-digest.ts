import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';

/** Content hashes of one file. */
export interface FileDigest {
  /** sha256 of the content, hex: the Hub's LFS oid and the local hub's `ETag`. */
  readonly sha256: string;
  /** Git blob sha1 (`sha1("blob {size}\0" + content)`), hex: the Hub's `oid` in tree listings. */
  readonly gitBlobSha1: string;
}

/** Computes file digests once per (path, size, mtime), streaming the content. */
export interface FileDigestCache {
  digest(file: {
    readonly realPath: string;
    readonly size: number;
    readonly mtimeMs: number;
  }): Promise<FileDigest>;
}

/**
 * A {@link FileDigestCache} that keeps up to `maxEntries` digests. A changed size or modification
 * time invalidates an entry. Concurrent requests for the same file share one read.
 */
export function createFileDigestCache({
  maxEntries = 10_000,
}: {
  maxEntries?: number;
} = {}): FileDigestCache {
  const entries = new Map<string, Promise<FileDigest>>();
  return {
    digest({ realPath, size, mtimeMs }) {
      const key = `${realPath}\0${size}\0${mtimeMs}`;
      const cached = entries.get(key);
      if (cached) return cached;
      const pending = computeDigest(realPath, size);
      entries.set(key, pending);
      pending.catch(() => entries.delete(key));
      if (entries.size > maxEntries) {
        const oldest = entries.keys().next().value;
        if (oldest !== undefined) entries.delete(oldest);
      }
      return pending;
    },
  };
}

function computeDigest(realPath: string, size: number): Promise<FileDigest> {
  return new Promise((resolve, reject) => {
    const sha256 = createHash('sha256');
    const gitBlobSha1 = createHash('sha1').update(`blob ${size}\0`);
    const stream = createReadStream(realPath);
    stream.on('data', (chunk) => {
      sha256.update(chunk);
      gitBlobSha1.update(chunk);
    });
    stream.on('error', reject);
    stream.on('end', () => resolve({ sha256: sha256.digest('hex'), gitBlobSha1: gitBlobSha1.digest('hex') }));
  });
}
