import { randomUUID } from 'node:crypto';
import type { Dirent } from 'node:fs';
import { lstat, readdir, readlink, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { isInside } from '../../discovery/local-hub/safe-path.js';
import { BLOB_ID_PATTERN, type RepositoryCachePaths } from './cache-paths.js';
import type { DownloadFileSystem } from './download-file-system.js';

/** One entry of a snapshot folder. */
export interface SnapshotEntry {
  /** Path inside the repository, `/`-separated. */
  readonly path: string;
  /** The blob it links to; `''` for a copy (where links were not allowed). */
  readonly blob: string;
  readonly sizeBytes: number;
}

/**
 * Links `snapshots/{commit}/{filePath}` to `blobs/{blob}` with a relative symbolic link
 * (`../../blobs/{blob}`, one `../` more per sub-folder), as `huggingface_hub` does. The link is
 * made beside the entry and renamed over it, so the entry is never missing nor half written.
 * Where symbolic links are not allowed (Windows without developer mode) the blob is copied.
 *
 * @returns `false` when the path would leave the snapshot folder (nothing is written).
 */
export async function linkSnapshotFile(
  fileSystem: DownloadFileSystem,
  paths: RepositoryCachePaths,
  commit: string,
  filePath: string,
  blob: string,
): Promise<boolean> {
  const snapshot = path.join(paths.snapshots, commit);
  const linkPath = path.join(snapshot, ...filePath.split('/'));
  if (!isInside(snapshot, linkPath) || linkPath === snapshot) return false;
  const blobPath = path.join(paths.blobs, blob);
  const target = path.relative(path.dirname(linkPath), blobPath);
  if ((await readlink(linkPath).catch(() => undefined)) === target) return true;
  await fileSystem.makeDirectory(path.dirname(linkPath));
  const temporary = path.join(path.dirname(linkPath), `.${path.basename(linkPath)}.${randomUUID()}.tmp`);
  try {
    try {
      await fileSystem.symlink(target, temporary);
    } catch (error) {
      if ((error as { code?: unknown }).code !== 'EPERM' || process.platform !== 'win32') throw error;
      await fileSystem.copyFile(blobPath, temporary);
    }
    await fileSystem.rename(temporary, linkPath);
  } catch (error) {
    await fileSystem.remove(temporary).catch(() => undefined);
    throw error;
  }
  return true;
}

/** Writes `refs/{revision}` = `commit` (replacing it atomically). Commits themselves get no ref. */
export async function writeRef(
  fileSystem: DownloadFileSystem,
  paths: RepositoryCachePaths,
  revision: string,
  commit: string,
): Promise<void> {
  if (revision === commit) return;
  const reference = path.join(paths.refs, revision);
  if (!isInside(paths.refs, reference)) return;
  await fileSystem.makeDirectory(path.dirname(reference));
  const temporary = `${reference}.${randomUUID()}.tmp`;
  await fileSystem.writeFile(temporary, commit);
  try {
    await fileSystem.rename(temporary, reference);
  } catch (error) {
    await fileSystem.remove(temporary).catch(() => undefined);
    throw error;
  }
}

/**
 * The entries of `snapshots/{commit}` whose content is there: links to an existing blob of this
 * repository, and regular files (copies). Links leaving the `blobs/` folder, dangling links and
 * temporary entries are left out. Sorted by path.
 */
export async function readSnapshotEntries(
  paths: RepositoryCachePaths,
  commit: string,
): Promise<SnapshotEntry[]> {
  const snapshot = path.join(paths.snapshots, commit);
  const realBlobs = await realpath(paths.blobs).catch(() => undefined);
  const entries: SnapshotEntry[] = [];
  const visit = async (directory: string, relative: string, depth: number): Promise<void> => {
    if (depth > 32) return;
    let children: Dirent[];
    try {
      children = await readdir(directory, { withFileTypes: true });
    } catch {
      return;
    }
    for (const child of children) {
      if (child.name.endsWith('.tmp') && child.name.startsWith('.')) continue;
      const absolute = path.join(directory, child.name);
      const childRelative = relative === '' ? child.name : `${relative}/${child.name}`;
      const stats = await lstat(absolute).catch(() => undefined);
      if (!stats) continue;
      if (stats.isDirectory()) {
        await visit(absolute, childRelative, depth + 1);
      } else if (stats.isSymbolicLink()) {
        const real = await realpath(absolute).catch(() => undefined);
        const blob = real === undefined ? '' : path.basename(real);
        if (!real || !realBlobs || path.dirname(real) !== realBlobs || !BLOB_ID_PATTERN.test(blob)) continue;
        const target = await stat(real).catch(() => undefined);
        if (target?.isFile()) entries.push({ path: childRelative, blob, sizeBytes: target.size });
      } else if (stats.isFile()) {
        entries.push({ path: childRelative, blob: '', sizeBytes: stats.size });
      }
    }
  };
  await visit(snapshot, '', 0);
  return entries.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/** The blob ids the links of `snapshots/{commit}` name (dangling links included). */
export async function linkedBlobs(paths: RepositoryCachePaths, commit: string): Promise<Set<string>> {
  const blobs = new Set<string>();
  const visit = async (directory: string, depth: number): Promise<void> => {
    if (depth > 32) return;
    let children: Dirent[];
    try {
      children = await readdir(directory, { withFileTypes: true });
    } catch {
      return;
    }
    for (const child of children) {
      const absolute = path.join(directory, child.name);
      if (child.isDirectory()) await visit(absolute, depth + 1);
      else if (child.isSymbolicLink()) {
        const target = await readlink(absolute).catch(() => undefined);
        if (target !== undefined) blobs.add(path.basename(target));
      }
    }
  };
  await visit(path.join(paths.snapshots, commit), 0);
  return blobs;
}
