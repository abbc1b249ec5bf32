import { realpath } from 'node:fs/promises';
import path from 'node:path';
import type { ModelCandidate } from '../../core/model-candidate.js';
import { realPathInside } from '../local-hub/safe-path.js';
import type { ModelProvider, ProviderQuery } from '../spec.js';
import {
  type CachedRepository,
  defaultHuggingFaceCacheDirectory,
  findCachedRepository,
  listCachedRepositories,
  resolveCachedCommit,
} from './hf-cache-layout.js';
import {
  type LocalCandidate,
  localCandidate,
  matchingLocalCandidates,
  walkModelFiles,
} from './local-model-files.js';
import { queryLimit } from './provider-query-filter.js';

/** Options of {@link hfCache}. */
export interface HfCacheOptions {
  /**
   * The Hugging Face cache folder (the one holding `models--org--name/` folders).
   * @default `HF_HUB_CACHE`, else `HF_HOME/hub`, else `~/.cache/huggingface/hub`
   */
  readonly cacheDir?: string;
}

/** The provider name of {@link hfCache}. */
export const HF_CACHE_PROVIDER_NAME = 'hf-cache';

/**
 * Models already downloaded to the Hugging Face cache (`models--org--name/{blobs,refs,snapshots}`).
 * Each model is described at `refs/main` (or the revision asked for), with every file of the
 * snapshot, sub-folders such as `onnx/` included, sized from its blob; metadata from `config.json`
 * and the README front matter; dtypes from the ONNX file names. Symlinks that resolve outside the
 * cache folder are ignored. A missing cache folder lists nothing.
 */
export function hfCache({
  cacheDir = defaultHuggingFaceCacheDirectory(),
}: HfCacheOptions = {}): ModelProvider {
  const root = path.resolve(cacheDir);
  const realRoot = () => realpath(root).catch(() => undefined);

  const describe = async (
    resolvedRoot: string,
    repository: CachedRepository,
    revision: string | undefined,
  ): Promise<LocalCandidate | undefined> => {
    const commit = await resolveCachedCommit(repository, revision);
    if (commit === undefined) return undefined;
    const snapshotDirectory = await realPathInside(
      resolvedRoot,
      path.join(repository.directory, 'snapshots', commit),
    );
    if (!snapshotDirectory) return undefined;
    const files = await walkModelFiles(resolvedRoot, snapshotDirectory);
    return localCandidate(
      { repository: { id: repository.id, layout: 'cache', directory: repository.directory }, commit, files },
      HF_CACHE_PROVIDER_NAME,
    );
  };

  return {
    specificationVersion: 'v1',
    name: HF_CACHE_PROVIDER_NAME,
    async *listModels(query: ProviderQuery): AsyncIterable<ModelCandidate> {
      query.signal?.throwIfAborted();
      const resolvedRoot = await realRoot();
      if (!resolvedRoot || queryLimit(query) === 0) return;
      yield* matchingLocalCandidates(query, await listCachedRepositories(resolvedRoot), (repository) =>
        describe(resolvedRoot, repository, undefined),
      );
    },
    async getModel(id, options = {}) {
      options.signal?.throwIfAborted();
      const resolvedRoot = await realRoot();
      if (!resolvedRoot) return undefined;
      const repository = await findCachedRepository(resolvedRoot, id);
      if (!repository) return undefined;
      return (await describe(resolvedRoot, repository, options.revision))?.candidate;
    },
  };
}
