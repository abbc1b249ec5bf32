import { createHash } from 'node:crypto';
import type { Dirent } from 'node:fs';
import { lstat, readdir, readFile, readlink, realpath } from 'node:fs/promises';
import path from 'node:path';

/** One problem of a cache: a snapshot entry that is not a link to a verified blob. */
export interface CacheProblem {
  readonly entry: string;
  readonly problem: string;
}

/** What {@link checkCache} found. */
export interface CacheCheck {
  /** Snapshot entries checked (links to blobs). */
  readonly links: number;
  readonly problems: readonly CacheProblem[];
}

async function children(directory: string): Promise<Dirent[]> {
  return readdir(directory, { withFileTypes: true }).catch(() => []);
}

/**
 * Checks every snapshot entry of a Hugging Face cache folder: it must be a relative link to
 * `blobs/{id}` of its own repository, the blob must exist, and its content must hash to its id
 * (sha256, or Git blob sha1 for 40-hex ids). Anything else is a problem.
 */
export async function checkCache(cacheDirectory: string): Promise<CacheCheck> {
  const problems: CacheProblem[] = [];
  let links = 0;
  const verified = new Map<string, boolean>();
  for (const repository of await children(cacheDirectory)) {
    if (!repository.name.startsWith('models--')) continue;
    const repositoryPath = path.join(cacheDirectory, repository.name);
    const blobs = await realpath(path.join(repositoryPath, 'blobs')).catch(() => undefined);
    const visit = async (directory: string): Promise<void> => {
      for (const child of await children(directory)) {
        const entry = path.join(directory, child.name);
        if (child.isDirectory()) {
          await visit(entry);
          continue;
        }
        const stats = await lstat(entry);
        if (!stats.isSymbolicLink()) {
          problems.push({ entry, problem: 'not a link' });
          continue;
        }
        links++;
        const target = await readlink(entry);
        if (path.isAbsolute(target)) problems.push({ entry, problem: `absolute link ${target}` });
        const real = await realpath(entry).catch(() => undefined);
        if (!real || !blobs || path.dirname(real) !== blobs) {
          problems.push({ entry, problem: `link to a missing or foreign blob: ${target}` });
          continue;
        }
        const blob = path.basename(real);
        let good = verified.get(real);
        if (good === undefined) {
          const content = await readFile(real);
          const digest =
            blob.length === 64
              ? createHash('sha256').update(content).digest('hex')
              : createHash('sha1').update(`blob ${content.length}\0`).update(content).digest('hex');
          good = digest === blob;
          verified.set(real, good);
        }
        if (!good) problems.push({ entry, problem: `blob ${blob} does not match its content` });
      }
    };
    await visit(path.join(repositoryPath, 'snapshots'));
  }
  return { links, problems };
}

/** Every file and link under `directory`, as sorted `/`-separated relative paths (for assertions). */
export async function listTree(directory: string): Promise<string[]> {
  const found: string[] = [];
  const visit = async (current: string, relative: string): Promise<void> => {
    for (const child of await children(current)) {
      const childRelative = relative === '' ? child.name : `${relative}/${child.name}`;
      if (child.isDirectory()) await visit(path.join(current, child.name), childRelative);
      else found.push(childRelative);
    }
  };
  await visit(directory, '');
  return found.sort();
}
