import { createHash } from 'node:crypto';
import type { FileDigestCache } from './file-digest.js';
import type { LocalFile, RepositorySnapshot } from './repository-scanner.js';

/** One entry of `/tree` and `/paths-info`, in the Hub's shape. */
export type FileEntry =
  | {
      readonly type: 'file';
      readonly oid: string;
      readonly size: number;
      readonly path: string;
      readonly lfs?: { readonly oid: string; readonly size: number; readonly pointerSize: number };
      readonly lastCommit?: CommitSummary;
    }
  | {
      readonly type: 'directory';
      readonly oid: string;
      readonly size: 0;
      readonly path: string;
      readonly lastCommit?: CommitSummary;
    };

interface CommitSummary {
  readonly id: string;
  readonly title: string;
  readonly date: string;
}

/** Extensions the Hub's default `.gitattributes` stores with Git LFS. */
const LFS_EXTENSIONS = [
  '.7z',
  '.arrow',
  '.bin',
  '.bz2',
  '.ckpt',
  '.ftz',
  '.gguf',
  '.gz',
  '.h5',
  '.joblib',
  '.mlmodel',
  '.model',
  '.msgpack',
  '.npy',
  '.npz',
  '.onnx',
  '.onnx_data',
  '.ot',
  '.parquet',
  '.pb',
  '.pickle',
  '.pkl',
  '.pt',
  '.pth',
  '.rar',
  '.safetensors',
  '.tar',
  '.tflite',
  '.tgz',
  '.wasm',
  '.xz',
  '.zip',
  '.zst',
];
const LFS_MIN_SIZE = 10 * 1024 * 1024;

/**
 * Whether the Hub would keep this file in Git LFS: an extension of its default `.gitattributes`,
 * or 10 MiB and more.
 */
export function isLfsFile(file: LocalFile): boolean {
  return file.size >= LFS_MIN_SIZE || LFS_EXTENSIONS.some((extension) => file.path.endsWith(extension));
}

/** The entry of one file: `oid` is its Git blob sha1; LFS files add `lfs.oid` (sha256). */
export async function fileEntry(
  snapshot: RepositorySnapshot,
  file: LocalFile,
  digests: FileDigestCache,
  expand: boolean,
): Promise<FileEntry> {
  const digest = await digests.digest(file);
  const pointerSize =
    `version https://git-lfs.github.com/spec/v1\noid sha256:${digest.sha256}\nsize ${file.size}\n`.length;
  return {
    type: 'file',
    oid: digest.gitBlobSha1,
    size: file.size,
    path: file.path,
    ...(isLfsFile(file) ? { lfs: { oid: digest.sha256, size: file.size, pointerSize } } : {}),
    ...(expand ? { lastCommit: commitSummary(snapshot, file.mtimeMs) } : {}),
  };
}

/** The entry of one folder (its `oid` is derived from the commit and the path). */
export function directoryEntry(snapshot: RepositorySnapshot, directory: string, expand: boolean): FileEntry {
  const newest = Math.max(
    0,
    ...snapshot.files.filter((file) => file.path.startsWith(`${directory}/`)).map((file) => file.mtimeMs),
  );
  return {
    type: 'directory',
    oid: createHash('sha1').update(`${snapshot.commit}\0${directory}`).digest('hex'),
    size: 0,
    path: directory,
    ...(expand ? { lastCommit: commitSummary(snapshot, newest) } : {}),
  };
}

/** Every folder path of the snapshot (`onnx`, `a/b`), sorted. */
export function directoriesOf(snapshot: RepositorySnapshot): string[] {
  const directories = new Set<string>();
  for (const file of snapshot.files) {
    const parts = file.path.split('/');
    for (let length = 1; length < parts.length; length++) directories.add(parts.slice(0, length).join('/'));
  }
  return [...directories].sort();
}

function commitSummary(snapshot: RepositorySnapshot, mtimeMs: number): CommitSummary {
  return { id: snapshot.commit, title: 'Local files', date: new Date(Math.trunc(mtimeMs)).toISOString() };
}
