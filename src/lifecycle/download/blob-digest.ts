import { createHash, type Hash } from 'node:crypto';
import { createReadStream } from 'node:fs';

/** Checks content against its blob id while it streams in. */
export interface BlobDigest {
  /** Adds the next bytes of the content. */
  update(chunk: Uint8Array): void;
  /** Whether the content added so far is the blob (its hash equals the blob id). Call once, at the end. */
  matches(): boolean;
  /** The hash of the content added so far, hex. Call once, at the end, instead of {@link matches}. */
  digest(): string;
}

/**
 * A {@link BlobDigest} for `blob` (a blob id of `sizeBytes` bytes): a 64-hex id is a sha256 (the
 * Hub's etag of Git LFS files), a 40-hex id is a Git blob sha1, `sha1("blob {size}\0" + content)`
 * (the etag of the other files).
 */
export function createBlobDigest(blob: string, sizeBytes: number): BlobDigest {
  const hash: Hash =
    blob.length === 64 ? createHash('sha256') : createHash('sha1').update(`blob ${sizeBytes}\0`);
  let finished: string | undefined;
  const digest = () => {
    finished ??= hash.digest('hex');
    return finished;
  };
  return {
    update: (chunk) => {
      hash.update(chunk);
    },
    matches: () => digest() === blob,
    digest,
  };
}

/** Feeds the first `length` bytes of `file` into `digest` (the part of a download already on disk). */
export function digestFilePrefix(file: string, length: number, digest: BlobDigest): Promise<void> {
  if (length === 0) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const stream = createReadStream(file, { start: 0, end: length - 1 });
    stream.on('data', (chunk) => digest.update(chunk as Buffer));
    stream.on('error', reject);
    stream.on('end', () => resolve());
  });
}
