import { readFile, stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import path from 'node:path';
import { isValidModelId, isValidRevision } from '../local-hub/model-id.js';
import { realPathInside } from '../local-hub/safe-path.js';
import { isDirectory, readDirectory } from './local-model-files.js';

const MODEL_FOLDER_PREFIX = 'models--';
const COMMIT_PATTERN = /^[0-9a-f]{40}$/;

/**
 * The Hugging Face cache folder as `huggingface_hub` resolves it: `HF_HUB_CACHE` (or the legacy
 * `HUGGINGFACE_HUB_CACHE`), else `HF_HOME/hub`, else `XDG_CACHE_HOME/huggingface/hub`, else
 * `~/.cache/huggingface/hub`.
 */
export function defaultHuggingFaceCacheDirectory(
  environment: Readonly<Record<string, string | undefined>> = process.env,
  home: string = homedir(),
): string {
  const nonEmpty = (value: string | undefined) => (value && value.trim() !== '' ? value : undefined);
  const hubCache = nonEmpty(environment.HF_HUB_CACHE) ?? nonEmpty(environment.HUGGINGFACE_HUB_CACHE);
  if (hubCache) return path.resolve(hubCache);
  const hfHome = nonEmpty(environment.HF_HOME);
  if (hfHome) return path.resolve(hfHome, 'hub');
  const xdgCache = nonEmpty(environment.XDG_CACHE_HOME);
  return path.resolve(xdgCache ?? path.join(home, '.cache'), 'huggingface', 'hub');
}

/** The cache folder name of a model id: `org/name` → `models--org--name`. */
export function cacheFolderName(id: string): string {
  return `${MODEL_FOLDER_PREFIX}${id.replace('/', '--')}`;
}

/** The model id of a cache folder name (`models--org--name` → `org/name`), or `undefined`. */
export function modelIdOfCacheFolder(name: string): string | undefined {
  if (!name.startsWith(MODEL_FOLDER_PREFIX)) return undefined;
  const parts = name.slice(MODEL_FOLDER_PREFIX.length).split('--');
  if (parts.length < 1 || parts.length > 2) return undefined;
  const id = parts.join('/');
  return isValidModelId(id) ? id : undefined;
}

/** A model folder of the cache. */
export interface CachedRepository {
  readonly id: string;
  /** Real path of `models--org--name/`, inside the cache folder. */
  readonly directory: string;
}

/** The model folders of the cache (real root given), sorted by id; folders that resolve outside it are skipped. */
export async function listCachedRepositories(realRoot: string): Promise<CachedRepository[]> {
  const repositories: CachedRepository[] = [];
  for (const entry of await readDirectory(realRoot)) {
    const repository = await cachedRepository(realRoot, entry.name);
    if (repository) repositories.push(repository);
  }
  return repositories.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** The cache folder of `id`, when it exists inside the cache. */
export async function findCachedRepository(
  realRoot: string,
  id: string,
): Promise<CachedRepository | undefined> {
  if (!isValidModelId(id)) return undefined;
  const repository = await cachedRepository(realRoot, cacheFolderName(id));
  return repository?.id === id ? repository : undefined;
}

async function cachedRepository(realRoot: string, name: string): Promise<CachedRepository | undefined> {
  const id = modelIdOfCacheFolder(name);
  if (id === undefined) return undefined;
  const directory = await realPathInside(realRoot, path.join(realRoot, name));
  if (!directory || !(await isDirectory(path.join(directory, 'snapshots')))) return undefined;
  return { id, directory };
}

/**
 * The commit of `revision` in a cached repository: a ref name (`main`, a tag) read from `refs/`,
 * `HEAD` as `main`, or a commit sha with a snapshot folder. Without a revision: `refs/main`, else
 * the most recently modified snapshot.
 * `undefined` when it is not in the cache.
 */
export async function resolveCachedCommit(
  repository: CachedRepository,
  revision: string | undefined,
): Promise<string | undefined> {
  const snapshots = path.join(repository.directory, 'snapshots');
  if (revision !== undefined && !isValidRevision(revision)) return undefined;
  const reference = revision === undefined || revision === 'HEAD' ? 'main' : revision;
  try {
    const commit = (await readFile(path.join(repository.directory, 'refs', reference), 'utf8')).trim();
    if (COMMIT_PATTERN.test(commit) && (await isDirectory(path.join(snapshots, commit)))) return commit;
  } catch {
    // Not a ref; maybe a commit sha.
  }
  if (revision !== undefined && revision !== 'HEAD') {
    return COMMIT_PATTERN.test(revision) && (await isDirectory(path.join(snapshots, revision)))
      ? revision
      : undefined;
  }
  let newest: { commit: string; mtimeMs: number } | undefined;
  for (const entry of await readDirectory(snapshots)) {
    if (!COMMIT_PATTERN.test(entry.name)) continue;
    const stats = await stat(path.join(snapshots, entry.name)).catch(() => undefined);
    if (!stats?.isDirectory()) continue;
    if (!newest || stats.mtimeMs > newest.mtimeMs) newest = { commit: entry.name, mtimeMs: stats.mtimeMs };
  }
  return newest?.commit;
}
