import { lstat, readdir, realpath, rmdir, unlink } from 'node:fs/promises';
import path from 'node:path';
import { isInside } from '../../discovery/local-hub/safe-path.js';
import { isMissing } from './cache-root.js';
import type { CacheSkippedRemoval, CacheSkipReason } from './prune-plan.js';

/** What removals did: entries skipped and entries that could not be removed. @internal */
export interface RemovalLog {
  readonly skipped: CacheSkippedRemoval[];
  readonly failures: { readonly path: string; readonly error: unknown }[];
}

/** A new, empty {@link RemovalLog}. @internal */
export function removalLog(): RemovalLog {
  return { skipped: [], failures: [] };
}

/**
 * Why `target` may not be touched, or `undefined` when it may: it must be a normalized absolute
 * path strictly inside `realRoot`, and its parent folder must be its own real path (no symlinked
 * folder on the way, so nothing outside the root is reached through a link).
 */
async function confinement(realRoot: string, target: string): Promise<CacheSkipReason | undefined> {
  if (
    !path.isAbsolute(target) ||
    path.normalize(target) !== target ||
    target === realRoot ||
    !isInside(realRoot, target)
  ) {
    return 'outside-cache';
  }
  const parent = path.dirname(target);
  try {
    return (await realpath(parent)) === parent ? undefined : 'outside-cache';
  } catch (error) {
    if (isMissing(error)) return 'missing';
    throw error;
  }
}

/**
 * Removes one file or symlink (never what a symlink points to) inside the root; returns the bytes
 * freed (its length for a regular file, 0 for a link). Folders are left alone (`'changed'`).
 * @internal
 */
export async function removeEntry(realRoot: string, target: string, log: RemovalLog): Promise<number> {
  try {
    const confined = await confinement(realRoot, target);
    if (confined !== undefined) {
      log.skipped.push({ path: target, reason: confined });
      return 0;
    }
    const stats = await lstat(target);
    if (stats.isDirectory()) {
      log.skipped.push({ path: target, reason: 'changed' });
      return 0;
    }
    await unlink(target);
    return stats.isFile() ? stats.size : 0;
  } catch (error) {
    if (isMissing(error)) log.skipped.push({ path: target, reason: 'missing' });
    else log.failures.push({ path: target, error });
    return 0;
  }
}

/**
 * Removes a real folder inside the root and everything in it, without following symlinks (links
 * are removed, their targets kept); returns the bytes of the regular files removed. A folder that
 * became a symlink is left alone (`'changed'`).
 * @internal
 */
export async function removeTree(realRoot: string, target: string, log: RemovalLog): Promise<number> {
  let freed = 0;
  try {
    const confined = await confinement(realRoot, target);
    if (confined !== undefined) {
      log.skipped.push({ path: target, reason: confined });
      return 0;
    }
    const stats = await lstat(target);
    if (!stats.isDirectory()) {
      log.skipped.push({ path: target, reason: 'changed' });
      return 0;
    }
    for (const entry of await readdir(target, { withFileTypes: true })) {
      const child = path.join(target, entry.name);
      freed += entry.isDirectory()
        ? await removeTree(realRoot, child, log)
        : await removeEntry(realRoot, child, log);
    }
    await rmdir(target);
  } catch (error) {
    if (isMissing(error)) log.skipped.push({ path: target, reason: 'missing' });
    else log.failures.push({ path: target, error });
  }
  return freed;
}

/**
 * Removes `target` and then its parents up to (excluding) `stop`, each only while it is an empty
 * real folder inside the root. Never fails: a folder that is not empty simply stays.
 * @internal
 */
export async function removeEmptyFolders(realRoot: string, target: string, stop: string): Promise<void> {
  let folder = target;
  while (folder !== stop && isInside(stop, folder)) {
    try {
      if ((await confinement(realRoot, folder)) !== undefined) return;
      const stats = await lstat(folder);
      if (!stats.isDirectory()) return;
      await rmdir(folder);
    } catch {
      return;
    }
    folder = path.dirname(folder);
  }
}

/**
 * Removes the empty real folders under `target` (bottom up) and `target` itself when it ends up
 * empty. Files, symlinks and folders that are not empty stay. Never fails.
 * @internal
 */
export async function removeEmptyTree(realRoot: string, target: string): Promise<void> {
  try {
    if ((await confinement(realRoot, target)) !== undefined) return;
    const stats = await lstat(target);
    if (!stats.isDirectory()) return;
    for (const entry of await readdir(target, { withFileTypes: true })) {
      if (entry.isDirectory()) await removeEmptyTree(realRoot, path.join(target, entry.name));
    }
    await rmdir(target);
  } catch {
    // Not empty, gone, or not ours to remove: it stays.
  }
}
