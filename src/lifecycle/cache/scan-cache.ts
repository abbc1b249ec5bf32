import type { Dirent, Stats } from 'node:fs';
import { lstat, readdir, readFile, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { isInside } from '../../discovery/local-hub/safe-path.js';
import { modelIdOfCacheFolder } from '../../discovery/providers/hf-cache-layout.js';
import type {
  CachedBlobInfo,
  CachedFileInfo,
  CachedReferenceInfo,
  CachedRepositoryInfo,
  CachedRevisionInfo,
  CacheReport,
  CacheWarning,
} from './cache-report.js';
import { isMissing } from './cache-root.js';

/** A commit sha: the name of a snapshot folder and the content of a ref file. @internal */
export const COMMIT_PATTERN = /^[0-9a-f]{40}$/;

const INCOMPLETE_SUFFIX = '.incomplete';

/** Recorded last uses: model id → revision (commit or ref name) → time. @internal */
export type LastUses = ReadonlyMap<string, ReadonlyMap<string, number>>;

/** What {@link scanCache} reads. @internal */
export interface ScanInput {
  /** Real path of the cache folder, or `undefined` when it does not exist. */
  readonly realRoot: string | undefined;
  /** The folder as configured, reported when it does not exist. */
  readonly directory: string;
  readonly lastUses: LastUses;
  readonly scannedAt: number;
}

/**
 * Reads the cache folder into a {@link CacheReport}. Only `models--…` folders that are real
 * folders inside the root are read; symlinks are resolved and their targets checked to lie inside
 * the root, never followed out of it. Broken entries become warnings; nothing throws for them.
 * @internal
 */
export async function scanCache({
  realRoot,
  directory,
  lastUses,
  scannedAt,
}: ScanInput): Promise<CacheReport> {
  if (realRoot === undefined) {
    return {
      directory,
      exists: false,
      repositories: [],
      sizeOnDisk: 0,
      revisionCount: 0,
      warnings: [],
      scannedAt,
    };
  }
  const warnings: CacheWarning[] = [];
  const repositories: CachedRepositoryInfo[] = [];
  for (const entry of await listDirectory(realRoot, warnings)) {
    if (entry.name.startsWith('.')) continue; // `.locks` and other bookkeeping of huggingface_hub.
    const entryPath = path.join(realRoot, entry.name);
    const modelId = modelIdOfCacheFolder(entry.name);
    if (modelId === undefined) {
      warnings.push({
        kind: 'not-a-model',
        path: entryPath,
        message: entry.name.startsWith('models--')
          ? 'not a valid model folder name'
          : 'not a model repository (only models--… folders are managed)',
      });
      continue;
    }
    if (entry.isSymbolicLink()) {
      const target = await realpath(entryPath).catch(() => undefined);
      warnings.push({
        kind:
          target === undefined
            ? 'dangling-link'
            : isInside(realRoot, target)
              ? 'not-a-model'
              : 'outside-link',
        path: entryPath,
        modelId,
        message: 'a symlinked repository folder is not managed',
      });
      continue;
    }
    if (!entry.isDirectory() || !(await isRealDirectory(path.join(entryPath, 'snapshots')))) {
      warnings.push({ kind: 'not-a-model', path: entryPath, modelId, message: 'no snapshots/ folder' });
      continue;
    }
    repositories.push(await scanRepository(realRoot, modelId, entryPath, lastUses.get(modelId), warnings));
  }
  repositories.sort((left, right) => compareText(left.id, right.id));
  return {
    directory: realRoot,
    exists: true,
    repositories,
    sizeOnDisk: repositories.reduce((total, repository) => total + repository.sizeOnDisk, 0),
    revisionCount: repositories.reduce((total, repository) => total + repository.revisions.length, 0),
    warnings,
    scannedAt,
  };
}

interface BlobStats {
  readonly sizeOnDisk: number;
  readonly lastAccessed: number;
  readonly lastModified: number;
}

async function scanRepository(
  realRoot: string,
  modelId: string,
  directory: string,
  lastUses: ReadonlyMap<string, number> | undefined,
  warnings: CacheWarning[],
): Promise<CachedRepositoryInfo> {
  const blobsDirectory = path.join(directory, 'blobs');
  const blobs = new Map<string, BlobStats>();
  const blobsFolder = await lstat(blobsDirectory).catch(() => undefined);
  if (blobsFolder !== undefined && !blobsFolder.isDirectory()) {
    const target = blobsFolder.isSymbolicLink()
      ? await realpath(blobsDirectory).catch(() => undefined)
      : undefined;
    warnings.push({
      kind: target !== undefined && !isInside(realRoot, target) ? 'outside-link' : 'not-a-model',
      path: blobsDirectory,
      modelId,
      message: 'blobs/ is not a folder of its own: its files are not managed',
    });
  }
  for (const entry of blobsFolder?.isDirectory()
    ? await listDirectory(blobsDirectory, warnings, modelId)
    : []) {
    const blobPath = path.join(blobsDirectory, entry.name);
    if (entry.isSymbolicLink()) {
      const target = await realpath(blobPath).catch(() => undefined);
      if (target === undefined || !isInside(realRoot, target)) {
        warnings.push({
          kind: target === undefined ? 'dangling-link' : 'outside-link',
          path: blobPath,
          modelId,
          message: target === undefined ? 'a blob link to nothing' : 'a blob link out of the cache folder',
        });
      }
      continue;
    }
    if (!entry.isFile()) continue;
    const stats = await lstat(blobPath).catch(() => undefined);
    if (stats?.isFile()) blobs.set(blobPath, blobStats(stats));
  }

  const { references, invalidBytes } = await scanReferences(directory, modelId, warnings);
  const snapshotsDirectory = path.join(directory, 'snapshots');
  const revisions: CachedRevisionInfo[] = [];
  const linkedBlobs = new Set<string>();
  let heldBytes = 0;
  for (const entry of await listDirectory(snapshotsDirectory, warnings, modelId)) {
    const snapshotPath = path.join(snapshotsDirectory, entry.name);
    if (!entry.isDirectory() || !COMMIT_PATTERN.test(entry.name)) {
      const target = entry.isSymbolicLink() ? await realpath(snapshotPath).catch(() => undefined) : undefined;
      warnings.push({
        kind: target !== undefined && !isInside(realRoot, target) ? 'outside-link' : 'invalid-snapshot',
        path: snapshotPath,
        modelId,
        message: entry.isSymbolicLink()
          ? 'a symlinked snapshot folder is not managed'
          : 'not a snapshot folder named by a commit sha',
      });
      continue;
    }
    const commit = entry.name;
    const files: CachedFileInfo[] = [];
    await scanSnapshotFolder({ realRoot, modelId, commit, blobs, warnings, files }, snapshotPath, '');
    files.sort((left, right) => compareText(left.path, right.path));
    const refs = references.filter((reference) => reference.commit === commit).map(({ name }) => name);
    const contents = new Map<string, CachedFileInfo>();
    for (const file of files) {
      contents.set(file.blobPath, file);
      if (blobs.has(file.blobPath)) linkedBlobs.add(file.blobPath);
      else if (file.blobPath === file.filePath) heldBytes += file.sizeOnDisk;
    }
    const folderStats = await lstat(snapshotPath).catch(() => undefined);
    let lastUse: number | undefined;
    for (const revision of [commit, ...refs]) {
      const time = lastUses?.get(revision);
      if (time !== undefined && (lastUse === undefined || time > lastUse)) lastUse = time;
    }
    // As huggingface_hub: a revision was modified when its snapshot folder was.
    const lastModified = folderStats?.mtimeMs ?? 0;
    let lastAccess = lastUse ?? 0;
    let sizeOnDisk = 0;
    for (const file of contents.values()) {
      sizeOnDisk += file.sizeOnDisk;
      lastAccess = Math.max(lastAccess, file.blobLastAccessed, file.blobLastModified);
    }
    revisions.push({
      commit,
      refs,
      snapshotPath,
      files,
      sizeOnDisk,
      lastUse,
      lastAccess: Math.max(lastAccess, lastModified),
      lastModified,
    });
  }
  revisions.sort(
    (left, right) => right.lastModified - left.lastModified || compareText(left.commit, right.commit),
  );

  const commits = new Set(revisions.map((revision) => revision.commit));
  const validReferences: CachedReferenceInfo[] = [];
  for (const reference of references) {
    if (commits.has(reference.commit)) validReferences.push(reference);
    else {
      warnings.push({
        kind: 'invalid-ref',
        path: reference.path,
        modelId,
        commit: reference.commit,
        message: `ref '${reference.name}' points to a commit without a snapshot`,
      });
    }
  }

  const unreferencedBlobs: CachedBlobInfo[] = [];
  let blobBytes = 0;
  let lastAccess = 0;
  let lastModified = 0;
  for (const [blobPath, stats] of blobs) {
    blobBytes += stats.sizeOnDisk;
    lastModified = Math.max(lastModified, stats.lastModified);
    if (linkedBlobs.has(blobPath)) continue;
    lastAccess = Math.max(lastAccess, stats.lastAccessed, stats.lastModified);
    unreferencedBlobs.push({
      path: blobPath,
      ...stats,
      incomplete: blobPath.endsWith(INCOMPLETE_SUFFIX),
    });
  }
  unreferencedBlobs.sort((left, right) => compareText(left.path, right.path));
  for (const revision of revisions) {
    lastAccess = Math.max(lastAccess, revision.lastAccess);
    lastModified = Math.max(lastModified, revision.lastModified);
  }
  if (revisions.length === 0 && blobs.size === 0) {
    const folderStats = await lstat(directory).catch(() => undefined);
    lastModified = folderStats?.mtimeMs ?? 0;
    lastAccess = lastModified;
  }
  const referenceBytes = references.reduce((total, reference) => total + reference.sizeOnDisk, 0);
  return {
    id: modelId,
    path: directory,
    revisions,
    refs: validReferences,
    unreferencedBlobs,
    sizeOnDisk: blobBytes + heldBytes + referenceBytes + invalidBytes,
    lastAccess,
    lastModified,
  };
}

interface SnapshotScan {
  readonly realRoot: string;
  readonly modelId: string;
  readonly commit: string;
  readonly blobs: ReadonlyMap<string, BlobStats>;
  readonly warnings: CacheWarning[];
  readonly files: CachedFileInfo[];
}

/** Walks a snapshot folder without following symlinked folders; links are resolved and checked. */
async function scanSnapshotFolder(scan: SnapshotScan, folder: string, prefix: string): Promise<void> {
  const { realRoot, modelId, commit, blobs, warnings, files } = scan;
  for (const entry of await listDirectory(folder, warnings, modelId)) {
    const filePath = path.join(folder, entry.name);
    const relativePath = `${prefix}${entry.name}`;
    const context = { path: filePath, modelId, commit, file: relativePath };
    if (entry.isDirectory()) {
      await scanSnapshotFolder(scan, filePath, `${relativePath}/`);
      continue;
    }
    if (entry.isFile()) {
      const stats = await lstat(filePath).catch(() => undefined);
      if (stats?.isFile())
        files.push({ path: relativePath, filePath, blobPath: filePath, ...fileStats(stats) });
      continue;
    }
    if (!entry.isSymbolicLink()) continue;
    let target: string;
    try {
      target = await realpath(filePath);
    } catch (error) {
      warnings.push({
        ...context,
        kind: isMissing(error) ? 'dangling-link' : 'unreadable',
        message: isMissing(error) ? 'links to nothing' : `cannot be resolved: ${describe(error)}`,
      });
      continue;
    }
    if (!isInside(realRoot, target)) {
      warnings.push({ ...context, kind: 'outside-link', message: 'links out of the cache folder' });
      continue;
    }
    const known = blobs.get(target);
    if (known) {
      files.push({
        path: relativePath,
        filePath,
        blobPath: target,
        sizeOnDisk: known.sizeOnDisk,
        blobLastAccessed: known.lastAccessed,
        blobLastModified: known.lastModified,
      });
      continue;
    }
    const stats = await stat(target).catch(() => undefined);
    if (!stats?.isFile()) {
      warnings.push({
        ...context,
        kind: 'invalid-snapshot',
        message: 'links to something that is not a file',
      });
      continue;
    }
    files.push({ path: relativePath, filePath, blobPath: target, ...fileStats(stats) });
  }
}

/**
 * The refs of a repository holding a commit sha (nested ones such as `refs/pr/1` included), and
 * the bytes of the ref files that do not (reported as warnings).
 */
async function scanReferences(
  directory: string,
  modelId: string,
  warnings: CacheWarning[],
): Promise<{ references: CachedReferenceInfo[]; invalidBytes: number }> {
  const references: CachedReferenceInfo[] = [];
  let invalidBytes = 0;
  const walk = async (folder: string, prefix: string): Promise<void> => {
    for (const entry of await listDirectory(folder, warnings, modelId)) {
      const referencePath = path.join(folder, entry.name);
      const name = `${prefix}${entry.name}`;
      if (entry.isDirectory()) {
        await walk(referencePath, `${name}/`);
        continue;
      }
      const invalid = (message: string) =>
        warnings.push({ kind: 'invalid-ref', path: referencePath, modelId, message });
      if (!entry.isFile()) {
        invalid(`ref '${name}' is not a file`);
        continue;
      }
      try {
        const [content, stats] = await Promise.all([readFile(referencePath, 'utf8'), lstat(referencePath)]);
        const commit = content.trim();
        if (COMMIT_PATTERN.test(commit)) {
          references.push({ name, commit, path: referencePath, sizeOnDisk: stats.size });
        } else {
          invalidBytes += stats.size;
          invalid(`ref '${name}' does not hold a commit sha`);
        }
      } catch (error) {
        warnings.push({
          kind: 'unreadable',
          path: referencePath,
          modelId,
          message: `cannot read ref '${name}': ${describe(error)}`,
        });
      }
    }
  };
  if (await isRealDirectory(path.join(directory, 'refs'))) await walk(path.join(directory, 'refs'), '');
  return { references: references.sort((left, right) => compareText(left.name, right.name)), invalidBytes };
}

/** The entries of a folder, sorted by name; `[]` when it does not exist; a warning when it cannot be read. */
async function listDirectory(folder: string, warnings: CacheWarning[], modelId?: string): Promise<Dirent[]> {
  try {
    const entries = await readdir(folder, { withFileTypes: true });
    return entries.sort((left, right) => compareText(left.name, right.name));
  } catch (error) {
    if (!isMissing(error)) {
      warnings.push({
        kind: 'unreadable',
        path: folder,
        ...(modelId === undefined ? {} : { modelId }),
        message: `cannot list it: ${describe(error)}`,
      });
    }
    return [];
  }
}

async function isRealDirectory(folder: string): Promise<boolean> {
  const stats = await lstat(folder).catch(() => undefined);
  return stats?.isDirectory() ?? false;
}

function blobStats(stats: Stats): BlobStats {
  return { sizeOnDisk: stats.size, lastAccessed: stats.atimeMs, lastModified: stats.mtimeMs };
}

function fileStats(
  stats: Stats,
): Pick<CachedFileInfo, 'sizeOnDisk' | 'blobLastAccessed' | 'blobLastModified'> {
  return { sizeOnDisk: stats.size, blobLastAccessed: stats.atimeMs, blobLastModified: stats.mtimeMs };
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Code-point order, independent of the locale. @internal */
export function compareText(left: string, right: string): number {
  return left < right ? -1 : left > right ? 1 : 0;
}
