import { realpath } from 'node:fs/promises';
import path from 'node:path';
import type { ModelCandidate } from '../../core/model-candidate.js';
import { InvalidArgumentError } from '../../errors/invalid-argument-error.js';
import { isValidModelId, MODEL_ID_SEGMENT_PATTERN } from '../local-hub/model-id.js';
import { plainFolderCommit } from '../local-hub/repository-scanner.js';
import { realPathInside } from '../local-hub/safe-path.js';
import type { ModelProvider, ProviderQuery } from '../spec.js';
import {
  isModelFolder,
  type LocalCandidate,
  localCandidate,
  matchingLocalCandidates,
  readDirectory,
  walkModelFiles,
} from './local-model-files.js';
import { queryLimit } from './provider-query-filter.js';

/** Options of {@link localDirectory}. */
export interface LocalDirectoryOptions {
  /**
   * The folder holding model folders, `root/org/name/` or `root/name/`, each with a `config.json`
   * or a `.gguf` file.
   */
  readonly root: string;
}

/** The provider name of {@link localDirectory}. */
export const LOCAL_DIRECTORY_PROVIDER_NAME = 'local-directory';

/**
 * Plain model folders in transformers.js layout under `root` (`org/name/` or `name/`, each with a
 * `config.json` or a `.gguf` file, weights usually in `onnx/`). Metadata from `config.json` and the README front
 * matter, dtypes from the ONNX file names, the revision derived from the files (the same sha the
 * local hub reports). Folders and files that resolve outside `root` (symlinks) are skipped, and
 * so are hidden folders and Hugging Face cache folders (`models--…`; see `hfCache`).
 *
 * @throws {InvalidArgumentError} when `root` is empty.
 */
export function localDirectory({ root }: LocalDirectoryOptions): ModelProvider {
  if (typeof root !== 'string' || root.trim() === '') {
    throw new InvalidArgumentError({ argument: 'root', value: root, message: 'must be a folder path' });
  }
  const absoluteRoot = path.resolve(root);
  const realRoot = () => realpath(absoluteRoot).catch(() => undefined);

  const describe = async (
    resolvedRoot: string,
    segments: readonly string[],
    revision?: string,
  ): Promise<LocalCandidate | undefined> => {
    const id = segments.join('/');
    if (!isValidModelId(id) || segments[0]?.startsWith('models--')) return undefined;
    const directory = await realPathInside(resolvedRoot, path.join(resolvedRoot, ...segments));
    if (!directory || directory === resolvedRoot) return undefined;
    if (!(await isModelFolder(resolvedRoot, directory))) return undefined;
    const files = await walkModelFiles(resolvedRoot, directory);
    const commit = plainFolderCommit(files);
    if (revision !== undefined && revision !== 'main' && revision !== 'HEAD' && revision !== commit) {
      return undefined;
    }
    return localCandidate(
      { repository: { id, layout: 'plain', directory }, commit, files },
      LOCAL_DIRECTORY_PROVIDER_NAME,
    );
  };

  /** Model folders as id segments, sorted by id: `root/name/` with a config, else `root/org/name/`. */
  const modelFolders = async function* (resolvedRoot: string): AsyncGenerator<readonly string[]> {
    const names = (await readDirectory(resolvedRoot))
      .map((entry) => entry.name)
      .filter(
        (name) =>
          !name.startsWith('.') && !name.startsWith('models--') && MODEL_ID_SEGMENT_PATTERN.test(name),
      )
      .sort();
    for (const name of names) {
      const folder = await realPathInside(resolvedRoot, path.join(resolvedRoot, name));
      if (!folder || folder === resolvedRoot) continue;
      if (await isModelFolder(resolvedRoot, folder)) {
        yield [name];
        continue;
      }
      const children = (await readDirectory(folder))
        .map((entry) => entry.name)
        .filter((child) => MODEL_ID_SEGMENT_PATTERN.test(child))
        .sort();
      for (const child of children) yield [name, child];
    }
  };

  return {
    specificationVersion: 'v1',
    name: LOCAL_DIRECTORY_PROVIDER_NAME,
    async *listModels(query: ProviderQuery): AsyncIterable<ModelCandidate> {
      query.signal?.throwIfAborted();
      const resolvedRoot = await realRoot();
      if (!resolvedRoot || queryLimit(query) === 0) return;
      yield* matchingLocalCandidates(query, modelFolders(resolvedRoot), (segments) =>
        describe(resolvedRoot, segments),
      );
    },
    async getModel(id, options = {}) {
      options.signal?.throwIfAborted();
      const resolvedRoot = await realRoot();
      if (!resolvedRoot || typeof id !== 'string') return undefined;
      return (await describe(resolvedRoot, id.split('/'), options.revision))?.candidate;
    },
  };
}
