import type { Dirent, Stats } from 'node:fs';
import { lstat, readdir, readFile, realpath, rmdir } from 'node:fs/promises';
import path from 'node:path';
import { isInside } from '../../discovery/local-hub/safe-path.js';
import { isMissing } from './cache-root.js';
import { type PlannedPrune, removalKey } from './plan-prune.js';
import type { CacheFileRemoval, CacheRevisionRemoval, CacheSkippedRemoval } from './prune-plan.js';
import {
  type RemovalLog,
  removalLog,
  removeEmptyFolders,
  removeEmptyTree,
  removeEntry,
  removeTree,
} from './safe-remove.js';

/** What executing a plan did, before the manager adds events, statistics and timing. @internal */
export interface ExecutedPrune {
  readonly freedBytes: number;
  readonly removedRevisions: readonly CacheRevisionRemoval[];
  readonly removedFiles: readonly CacheFileRemoval[];
  readonly removedBlobs: readonly string[];
  readonly skipped: readonly CacheSkippedRemoval[];
  readonly failures: RemovalLog['failures'];
  /** Bytes freed per {@link removalKey}: snapshot entries, refs and the blobs they released. */
  readonly freedByRemoval: ReadonlyMap<string, number>;
}

/**
 * Executes a plan inside `realRoot`: snapshot entries (dtype files, then the entries of the
 * removed revisions' snapshots) first, then refs that still point to removed revisions, then
 * blobs that no snapshot entry links to any more, checked again on disk (a download may have
 * linked one since the plan was made), then the empty folders of repositories left without
 * revisions.
 *
 * The disk may have changed since the plan was made; what changed is kept and reported skipped:
 * - a revision a ref not in the plan now points to is kept whole (`'changed'`);
 * - only the entries the plan saw in a snapshot are removed, then the folders left empty; an entry
 *   made after the plan (a download adding a file) stays, reported `'changed'`, and so does the
 *   snapshot folder holding it;
 * - the refs of a revision whose snapshot folder stays are kept (`'changed'`).
 * @internal
 */
export async function executePrune(plan: PlannedPrune, realRoot: string): Promise<ExecutedPrune> {
  const log = removalLog();
  const freedByRemoval = new Map<string, number>();
  const credit = (key: string, bytes: number) =>
    freedByRemoval.set(key, (freedByRemoval.get(key) ?? 0) + bytes);
  let freedBytes = 0;
  /** Runs one removal; true when it neither skipped nor failed anything. */
  const clean = async (key: string, remove: () => Promise<number>) => {
    const before = log.skipped.length + log.failures.length;
    const bytes = await remove();
    freedBytes += bytes;
    credit(key, bytes);
    return log.skipped.length + log.failures.length === before;
  };

  const removedFiles: CacheFileRemoval[] = [];
  for (const file of plan.files) {
    const key = removalKey('files', file.modelId, file.commit);
    if (await clean(key, () => removeEntry(realRoot, file.filePath, log))) removedFiles.push(file);
    const snapshotPath = file.filePath.slice(0, file.filePath.length - file.path.length - 1);
    await removeEmptyFolders(realRoot, path.dirname(file.filePath), snapshotPath);
  }

  const removedRevisions: CacheRevisionRemoval[] = [];
  /** Revisions whose snapshot folder is still there: their refs stay. */
  const keptRevisions = new Set<string>();
  for (const revision of plan.revisions) {
    const key = removalKey('revision', revision.modelId, revision.commit);
    const repository = path.dirname(path.dirname(revision.snapshotPath));
    const plannedRefs = new Set(
      plan.refs
        .filter((reference) => removalKey('revision', reference.modelId, reference.commit) === key)
        .map((reference) => reference.path),
    );
    if (await pointedToSincePlan(path.join(repository, 'refs'), revision.commit, plannedRefs)) {
      log.skipped.push({ path: revision.snapshotPath, reason: 'changed' });
      keptRevisions.add(key);
      continue;
    }
    const entries = plan.snapshotEntries.get(revision.snapshotPath) ?? [];
    if (await clean(key, () => removeSnapshot(realRoot, revision.snapshotPath, entries, log)))
      removedRevisions.push(revision);
    if (await exists(revision.snapshotPath)) {
      keptRevisions.add(key);
      continue;
    }
    // huggingface_hub's markers of files the revision does not have (empty files).
    const markers = path.join(repository, '.no_exist', revision.commit);
    if (await exists(markers)) await clean(key, () => removeTree(realRoot, markers, log));
  }

  for (const reference of plan.refs) {
    const key = removalKey('revision', reference.modelId, reference.commit);
    if (keptRevisions.has(key)) {
      log.skipped.push({ path: reference.path, reason: 'changed' });
      continue;
    }
    const content = await readFile(reference.path, 'utf8').catch((error: unknown) =>
      isMissing(error) ? undefined : '',
    );
    if (content === undefined) log.skipped.push({ path: reference.path, reason: 'missing' });
    else if (content.trim() !== reference.commit)
      log.skipped.push({ path: reference.path, reason: 'changed' });
    else {
      await clean(key, () => removeEntry(realRoot, reference.path, log));
      const refsFolder = path.join(path.dirname(path.dirname(reference.path)), 'refs');
      if (isInside(refsFolder, reference.path)) {
        await removeEmptyFolders(realRoot, path.dirname(reference.path), refsFolder);
      }
    }
  }

  const removedBlobs: string[] = [];
  const stillLinked = new Map<string, Set<string>>();
  for (const blob of plan.blobs) {
    const repository = path.dirname(path.dirname(blob.path));
    let linked = stillLinked.get(repository);
    if (linked === undefined) {
      linked = await linkedContents(realRoot, path.join(repository, 'snapshots'));
      stillLinked.set(repository, linked);
    }
    if (linked.has(blob.path)) {
      log.skipped.push({ path: blob.path, reason: 'still-linked' });
      continue;
    }
    const key = plan.blobOwners.get(blob.path) ?? '';
    if (await clean(key, () => removeEntry(realRoot, blob.path, log))) removedBlobs.push(blob.path);
  }

  for (const repository of plan.emptiedRepositories) await removeEmptyTree(realRoot, repository);

  return {
    freedBytes,
    removedRevisions,
    removedFiles,
    removedBlobs,
    skipped: log.skipped,
    failures: log.failures,
    freedByRemoval,
  };
}

async function exists(target: string): Promise<boolean> {
  return (await lstat(target).catch(() => undefined)) !== undefined;
}

/**
 * Removes the `planned` entries of a snapshot folder (those the plan saw), then the folders left
 * empty, the snapshot folder last; returns the bytes of the regular files removed. Whatever else
 * is in it (made after the plan) stays and is reported `'changed'`. A snapshot folder that is gone
 * is `'missing'`; one that became something else (a symlink) is `'changed'`, one reached through
 * a symlinked folder `'outside-cache'`: both are left alone.
 */
async function removeSnapshot(
  realRoot: string,
  snapshotPath: string,
  planned: readonly string[],
  log: RemovalLog,
): Promise<number> {
  let stats: Stats;
  try {
    stats = await lstat(snapshotPath);
  } catch (error) {
    if (isMissing(error)) log.skipped.push({ path: snapshotPath, reason: 'missing' });
    else log.failures.push({ path: snapshotPath, error });
    return 0;
  }
  if (!stats.isDirectory()) {
    log.skipped.push({ path: snapshotPath, reason: 'changed' });
    return 0;
  }
  // Reached through a symlinked folder: it is not inside the cache any more.
  const parent = path.dirname(snapshotPath);
  if (!isInside(realRoot, snapshotPath) || (await realpath(parent).catch(() => undefined)) !== parent) {
    log.skipped.push({ path: snapshotPath, reason: 'outside-cache' });
    return 0;
  }
  let freed = 0;
  for (const entry of planned) {
    // An entry already gone (an unused dtype removed above, or removed by someone else) is no news.
    const present = await lstat(entry).then(
      () => true,
      (error: unknown) => !isMissing(error),
    );
    if (present) freed += await removeEntry(realRoot, entry, log);
  }
  // Empty folders hold nothing: those the removals emptied go, and the snapshot folder if it is empty.
  await removeEmptyTree(realRoot, snapshotPath);
  if (await exists(snapshotPath)) await reportLeftovers(snapshotPath, log);
  return freed;
}

/** Reports every entry left under `folder` (symlinks not followed) as `'changed'`. */
async function reportLeftovers(folder: string, log: RemovalLog): Promise<void> {
  let entries: Dirent[];
  try {
    entries = await readdir(folder, { withFileTypes: true });
  } catch (error) {
    if (!isMissing(error)) log.failures.push({ path: folder, error });
    return;
  }
  if (entries.length === 0) {
    // Empty, yet still there: removing it failed (removeEmptyTree says nothing); try once more to know why.
    await rmdir(folder).catch((error: unknown) => {
      if (!isMissing(error)) log.failures.push({ path: folder, error });
    });
    return;
  }
  for (const entry of entries) {
    const entryPath = path.join(folder, entry.name);
    if (entry.isDirectory()) await reportLeftovers(entryPath, log);
    else log.skipped.push({ path: entryPath, reason: 'changed' });
  }
}

/**
 * Whether a ref file under `refsFolder` other than the `planned` ones holds `commit`: a ref moved
 * onto the revision since the plan was made. Symlinks are not followed (the scan does not read them).
 */
async function pointedToSincePlan(
  refsFolder: string,
  commit: string,
  planned: ReadonlySet<string>,
): Promise<boolean> {
  let entries: Dirent[];
  try {
    if (!(await lstat(refsFolder)).isDirectory()) return false;
    entries = await readdir(refsFolder, { withFileTypes: true });
  } catch {
    return false;
  }
  for (const entry of entries) {
    const entryPath = path.join(refsFolder, entry.name);
    if (entry.isDirectory()) {
      if (await pointedToSincePlan(entryPath, commit, planned)) return true;
    } else if (entry.isFile() && !planned.has(entryPath)) {
      const content = await readFile(entryPath, 'utf8').catch(() => '');
      if (content.trim() === commit) return true;
    }
  }
  return false;
}

/** Real paths of everything the remaining snapshot entries of a repository link to. */
async function linkedContents(realRoot: string, snapshots: string): Promise<Set<string>> {
  const linked = new Set<string>();
  const walk = async (folder: string): Promise<void> => {
    let entries: Dirent[];
    try {
      entries = await readdir(folder, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      const entryPath = path.join(folder, entry.name);
      if (entry.isDirectory()) await walk(entryPath);
      else if (entry.isSymbolicLink()) {
        const target = await realpath(entryPath).catch(() => undefined);
        if (target !== undefined && isInside(realRoot, target)) linked.add(target);
      }
    }
  };
  await walk(snapshots);
  return linked;
}
