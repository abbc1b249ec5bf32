import type { Dirent } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import type { BlobLock } from './blob-lock.js';
import { BLOB_ID_PATTERN, COMMIT_PATTERN, type RepositoryCachePaths } from './cache-paths.js';
import type { DownloadFileSystem } from './download-file-system.js';
import { linkedBlobs } from './snapshot-links.js';

/** What a cleanup removed. */
export interface RemovedRevisions {
  /** The commits whose snapshot folders were removed. */
  readonly commits: readonly string[];
  /** The blobs removed (no snapshot links to them any more). */
  readonly blobs: readonly string[];
  /** Bytes of the removed blobs. */
  readonly bytesFreed: number;
}

/** Snapshot folders (commit names only), newest modification first. */
async function snapshotsByRecency(paths: RepositoryCachePaths): Promise<string[]> {
  let entries: Dirent[];
  try {
    entries = await readdir(paths.snapshots, { withFileTypes: true });
  } catch {
    return [];
  }
  const dated: { commit: string; mtimeMs: number }[] = [];
  for (const entry of entries) {
    if (!entry.isDirectory() || !COMMIT_PATTERN.test(entry.name)) continue;
    const stats = await stat(path.join(paths.snapshots, entry.name)).catch(() => undefined);
    if (stats) dated.push({ commit: entry.name, mtimeMs: stats.mtimeMs });
  }
  return dated
    .sort((a, b) => b.mtimeMs - a.mtimeMs || (a.commit < b.commit ? -1 : 1))
    .map((entry) => entry.commit);
}

/** Every ref file under `refs/` (`main`, `v1.0`), with the commit it holds. */
async function readRefs(paths: RepositoryCachePaths): Promise<{ file: string; commit: string }[]> {
  const refs: { file: string; commit: string }[] = [];
  const visit = async (directory: string, depth: number): Promise<void> => {
    if (depth > 8) return;
    let entries: Dirent[];
    try {
      entries = await readdir(directory, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      const file = path.join(directory, entry.name);
      if (entry.isDirectory()) await visit(file, depth + 1);
      else if (entry.isFile()) {
        const commit = (await readFile(file, 'utf8').catch(() => '')).trim();
        refs.push({ file, commit });
      }
    }
  };
  await visit(paths.refs, 0);
  return refs;
}

/**
 * Keeps the `keep` most recently used snapshots of a repository (`current` always among them)
 * and removes the others: their snapshot folders, the refs pointing to them, and the blobs no
 * remaining snapshot links to. Each blob is removed under its lock, after checking once more that
 * no snapshot links to it, so a download running meanwhile never loses a blob it linked.
 * Partial downloads (`.incomplete`) and blobs never linked (another download's, not linked yet)
 * are left alone.
 */
export async function removeOldRevisions({
  paths,
  keep,
  current,
  pinnedRevisions = [],
  fileSystem,
  lockBlob,
}: {
  paths: RepositoryCachePaths;
  /** How many snapshots to keep, ≥ 1. */
  keep: number;
  /** The commit just downloaded. */
  current: string;
  /**
   * Pins of this model: `undefined` pins the whole model (nothing is removed); a commit or a ref
   * name (`main`, `v1`, `refs/pr/1`) keeps that snapshot and its refs, beside the `keep` kept.
   */
  pinnedRevisions?: readonly (string | undefined)[];
  fileSystem: DownloadFileSystem;
  /** Takes the lock of a blob, or `undefined` when it stays busy (the blob is then kept). */
  lockBlob: (blob: string) => Promise<BlobLock | undefined>;
}): Promise<RemovedRevisions> {
  if (pinnedRevisions.includes(undefined)) return { commits: [], blobs: [], bytesFreed: 0 };
  const commits = await snapshotsByRecency(paths);
  const refs = await readRefs(paths);
  const pinned = new Set<string>();
  for (const revision of pinnedRevisions) {
    if (revision === undefined) continue;
    if (COMMIT_PATTERN.test(revision)) pinned.add(revision);
    for (const ref of refs) {
      const name = path.relative(paths.refs, ref.file).split(path.sep).join('/');
      if (name === revision || name === revision.replace(/^refs\/heads\//, '')) pinned.add(ref.commit);
    }
  }
  const kept = [current, ...commits.filter((commit) => commit !== current && !pinned.has(commit))].slice(
    0,
    Math.max(1, keep),
  );
  const removed = commits.filter((commit) => !kept.includes(commit) && !pinned.has(commit));
  if (removed.length === 0) return { commits: [], blobs: [], bytesFreed: 0 };
  const candidates = new Set<string>();
  for (const commit of removed) {
    for (const blob of await linkedBlobs(paths, commit)) if (BLOB_ID_PATTERN.test(blob)) candidates.add(blob);
  }
  for (const commit of removed) await fileSystem.remove(path.join(paths.snapshots, commit));
  for (const ref of refs) {
    if (removed.includes(ref.commit)) await fileSystem.remove(ref.file);
  }
  const removedBlobs: string[] = [];
  let bytesFreed = 0;
  for (const blob of [...candidates].sort()) {
    const lock = await lockBlob(blob);
    if (!lock) continue;
    try {
      let linked = false;
      for (const commit of await snapshotsByRecency(paths)) {
        if ((await linkedBlobs(paths, commit)).has(blob)) {
          linked = true;
          break;
        }
      }
      if (linked) continue;
      const blobPath = path.join(paths.blobs, blob);
      const stats = await stat(blobPath).catch(() => undefined);
      if (!stats?.isFile()) continue;
      await fileSystem.remove(blobPath);
      removedBlobs.push(blob);
      bytesFreed += stats.size;
    } finally {
      await lock.release();
    }
  }
  return { commits: removed, blobs: removedBlobs, bytesFreed };
}
