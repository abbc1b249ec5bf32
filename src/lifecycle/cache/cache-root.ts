import { realpath, stat } from 'node:fs/promises';
import { CacheError } from '../../errors/cache-error.js';

/**
 * The real path of the cache folder, or `undefined` when it does not exist (an empty cache).
 * Every other path the cache manager reads or removes is built from it and checked against it.
 *
 * @throws CacheError `'unreadable'` when it exists but is not a readable folder.
 * @internal
 */
export async function resolveCacheRoot(directory: string): Promise<string | undefined> {
  let realRoot: string;
  try {
    realRoot = await realpath(directory);
  } catch (error) {
    if (isMissing(error)) return undefined;
    throw new CacheError({ reason: 'unreadable', directory, message: 'cannot resolve it', cause: error });
  }
  const stats = await stat(realRoot).catch((error: unknown) => {
    throw new CacheError({ reason: 'unreadable', directory, message: 'cannot read it', cause: error });
  });
  if (!stats.isDirectory()) {
    throw new CacheError({ reason: 'unreadable', directory, message: 'it is not a folder' });
  }
  return realRoot;
}

/** Whether a file-system error says the entry does not exist. @internal */
export function isMissing(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}
