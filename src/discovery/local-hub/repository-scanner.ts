import { createHash } from 'node:crypto';
import type { Dirent } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { isValidModelId, isValidRevision, MODEL_ID_SEGMENT_PATTERN } from './model-id.js';
import { realPathInside } from './safe-path.js';

/** Where a repository lives under the root, and in which layout. */
export interface LocalRepository {
  /** The model id, `org/name` or `name`. */
  readonly id: string;
  /**
   * `'plain'`: a model folder `root/org/name/` (or `root/name/`) holding the files directly.
   * `'cache'`: a Hugging Face cache entry `root/models--org--name/{blobs,refs,snapshots}`.
   */
  readonly layout: 'plain' | 'cache';
  /** Absolute real path of the folder (the model folder, or the `models--…` folder). */
  readonly directory: string;
}

/** One file of a repository at one revision. */
export interface LocalFile {
  /** Path inside the repository, `/`-separated, e.g. `onnx/model.onnx`. */
  readonly path: string;
  /** Real path on disk (symlinks resolved; always inside the root). */
  readonly realPath: string;
  readonly size: number;
  readonly mtimeMs: number;
}

/** A repository at one revision: its commit sha and files (sorted by path). */
export interface RepositorySnapshot {
  readonly repository: LocalRepository;
  /** 40 hex digits. For the cache layout, the snapshot folder name; for plain folders, derived (see {@link plainFolderCommit}). */
  readonly commit: string;
  readonly files: readonly LocalFile[];
}

const CACHE_PREFIX = 'models--';
const COMMIT_PATTERN = /^[0-9a-f]{40}$/;

/**
 * Finds the repositories under `realRoot` (a real path). A plain model folder is a directory
 * holding a `config.json` or a `.gguf` file (see {@link isModelFolder}), at `root/name/` or `root/org/name/`; a cache entry is a directory
 * `root/models--org--name/` (or `models--name`). Folders whose names are not valid id segments,
 * and hidden folders, are skipped. The result is sorted by id; a cache entry wins over a plain
 * folder with the same id.
 */
export async function scanRepositories(realRoot: string): Promise<LocalRepository[]> {
  const byId = new Map<string, LocalRepository>();
  for (const entry of await readDirectory(realRoot)) {
    if (entry.name.startsWith('.')) continue;
    const repository = await repositoryFromCacheFolder(realRoot, entry.name);
    if (repository) {
      byId.set(repository.id, repository);
      continue;
    }
    if (entry.name.startsWith(CACHE_PREFIX) || !MODEL_ID_SEGMENT_PATTERN.test(entry.name)) continue;
    const first = await plainFolder(realRoot, [entry.name]);
    if (first) {
      if (!byId.has(first.id)) byId.set(first.id, first);
      continue;
    }
    for (const child of await readDirectory(path.join(realRoot, entry.name))) {
      if (!MODEL_ID_SEGMENT_PATTERN.test(child.name)) continue;
      const second = await plainFolder(realRoot, [entry.name, child.name]);
      if (second && !byId.has(second.id)) byId.set(second.id, second);
    }
  }
  return [...byId.values()].sort((a, b) => compareStrings(a.id, b.id));
}

/** The repository with this id under `realRoot`, or `undefined`. Checks the cache layout first. */
export async function findRepository(realRoot: string, id: string): Promise<LocalRepository | undefined> {
  if (!isValidModelId(id)) return undefined;
  const cached = await repositoryFromCacheFolder(realRoot, `${CACHE_PREFIX}${id.replace('/', '--')}`);
  if (cached?.id === id) return cached;
  return plainFolder(realRoot, id.split('/'));
}

/**
 * The repository at `revision`, or `undefined` when the revision does not exist. Plain folders
 * have one revision, reachable as `main`, `HEAD` or its derived commit sha. Cache entries resolve
 * `HEAD` and branch names through `refs/`, and commit shas through `snapshots/`.
 */
export async function snapshotAt(
  realRoot: string,
  repository: LocalRepository,
  revision: string,
): Promise<RepositorySnapshot | undefined> {
  if (!isValidRevision(revision)) return undefined;
  if (repository.layout === 'plain') {
    const files = await walkFiles(realRoot, repository.directory);
    const commit = plainFolderCommit(files);
    if (revision !== 'main' && revision !== 'HEAD' && revision !== commit) return undefined;
    return { repository, commit, files };
  }
  const commit = await cacheCommit(repository.directory, revision);
  if (!commit) return undefined;
  const snapshotDirectory = await realPathInside(
    realRoot,
    path.join(repository.directory, 'snapshots', commit),
  );
  if (!snapshotDirectory) return undefined;
  return { repository, commit, files: await walkFiles(realRoot, snapshotDirectory) };
}

/**
 * The commit sha of a plain folder: sha1 over the sorted lines `{path}\t{size}\t{mtimeMs}\n` of
 * its files. It changes whenever a file is added, removed, resized or touched, and is stable
 * otherwise (across restarts too).
 */
export function plainFolderCommit(files: readonly LocalFile[]): string {
  const hash = createHash('sha1');
  for (const file of files) hash.update(`${file.path}\t${file.size}\t${Math.trunc(file.mtimeMs)}\n`);
  return hash.digest('hex');
}

async function cacheCommit(directory: string, revision: string): Promise<string | undefined> {
  const reference = revision === 'HEAD' ? 'main' : revision;
  try {
    const commit = (await readFile(path.join(directory, 'refs', reference), 'utf8')).trim();
    if (COMMIT_PATTERN.test(commit)) return commit;
  } catch {
    // Not a ref name; maybe a commit sha.
  }
  if (COMMIT_PATTERN.test(revision) && (await isDirectory(path.join(directory, 'snapshots', revision)))) {
    return revision;
  }
  return undefined;
}

async function repositoryFromCacheFolder(
  realRoot: string,
  name: string,
): Promise<LocalRepository | undefined> {
  if (!name.startsWith(CACHE_PREFIX)) return undefined;
  const parts = name.slice(CACHE_PREFIX.length).split('--');
  if (parts.length < 1 || parts.length > 2) return undefined;
  const id = parts.join('/');
  if (!isValidModelId(id)) return undefined;
  const directory = await realPathInside(realRoot, path.join(realRoot, name));
  if (!directory || !(await isDirectory(path.join(directory, 'snapshots')))) return undefined;
  return { id, layout: 'cache', directory };
}

async function plainFolder(
  realRoot: string,
  segments: readonly string[],
): Promise<LocalRepository | undefined> {
  if (segments.length === 0 || segments.length > 2) return undefined;
  if (segments[0]?.startsWith(CACHE_PREFIX)) return undefined;
  const id = segments.join('/');
  if (!isValidModelId(id)) return undefined;
  const directory = await realPathInside(realRoot, path.join(realRoot, ...segments));
  if (!directory || directory === realRoot) return undefined;
  if (!(await isModelFolder(realRoot, directory))) return undefined;
  return { id, layout: 'plain', directory };
}

/**
 * Whether a plain folder (a real path inside `realRoot`) is a model: it holds a `config.json`
 * (transformers and transformers.js layouts) or a `.gguf` file (GGUF repositories have no config).
 */
export async function isModelFolder(realRoot: string, directory: string): Promise<boolean> {
  if (await realPathInside(realRoot, path.join(directory, 'config.json'))) return true;
  for (const entry of await readDirectory(directory)) {
    if (entry.name.endsWith('.gguf') && (await realPathInside(realRoot, path.join(directory, entry.name)))) {
      return true;
    }
  }
  return false;
}

/**
 * Every regular file under `directory`, following symlinks only when their real path stays inside
 * `realRoot`. Hidden folders (`.git`, `.cache`) are skipped; hidden files are kept.
 */
export async function walkFiles(realRoot: string, directory: string): Promise<LocalFile[]> {
  const files: LocalFile[] = [];
  const visit = async (absolute: string, relative: string, depth: number): Promise<void> => {
    if (depth > 32) return;
    for (const entry of await readDirectory(absolute)) {
      const childRelative = relative === '' ? entry.name : `${relative}/${entry.name}`;
      const real = await realPathInside(realRoot, path.join(absolute, entry.name));
      if (!real) continue;
      const stats = await stat(real).catch(() => undefined);
      if (!stats) continue;
      if (stats.isDirectory()) {
        if (!entry.name.startsWith('.')) await visit(real, childRelative, depth + 1);
      } else if (stats.isFile()) {
        files.push({ path: childRelative, realPath: real, size: stats.size, mtimeMs: stats.mtimeMs });
      }
    }
  };
  await visit(directory, '', 0);
  return files.sort((a, b) => compareStrings(a.path, b.path));
}

/** The entries of a folder, or none when it cannot be read. */
export async function readDirectory(directory: string): Promise<Dirent[]> {
  try {
    return await readdir(directory, { withFileTypes: true });
  } catch {
    return [];
  }
}

/** Whether `candidate` is an existing folder (symlinks followed). */
export async function isDirectory(candidate: string): Promise<boolean> {
  return (await stat(candidate).catch(() => undefined))?.isDirectory() ?? false;
}

/** Code-unit order, independent of the locale. */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
