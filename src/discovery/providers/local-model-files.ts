import path from 'node:path';
import type { ModelCandidate, ModelFile } from '../../core/model-candidate.js';
import { buildModelRecord } from '../local-hub/model-record.js';
import type { RepositorySnapshot } from '../local-hub/repository-scanner.js';
import type { ProviderQuery } from '../spec.js';
import { normalizeHubRecord } from './hub-record.js';
import { matchesProviderQuery, queryLimit, recordTags } from './provider-query-filter.js';

export {
  isDirectory,
  isModelFolder,
  readDirectory,
  walkFiles as walkModelFiles,
} from '../local-hub/repository-scanner.js';

const SHA256_PATTERN = /^[0-9a-f]{64}$/;

/** A candidate of a local provider, with the tags of its record (for query matching). */
export interface LocalCandidate {
  readonly candidate: ModelCandidate;
  readonly tags: readonly string[];
}

/**
 * The candidate of a model on disk: the same record the local hub would serve for it (metadata
 * from `config.json` and the README front matter), normalized, with file sizes from disk and the
 * sha256 of files whose real path is a blob named by its sha256 (the Hugging Face cache), and
 * `localPath`: the model folder, or the snapshot folder of a cache entry.
 */
export async function localCandidate(
  snapshot: RepositorySnapshot,
  provider: string,
): Promise<LocalCandidate> {
  const record = await buildModelRecord(snapshot);
  const files: ModelFile[] = snapshot.files.map((file) => {
    const blobName = path.basename(file.realPath);
    return {
      path: file.path,
      sizeBytes: file.size,
      ...(SHA256_PATTERN.test(blobName) ? { sha256: blobName } : {}),
    };
  });
  const candidate = normalizeHubRecord(record as unknown as Record<string, unknown>, {
    provider,
    popularity: false,
    inferTaskFromArchitecture: true,
    files,
  });
  return {
    candidate: {
      ...candidate,
      localPath:
        snapshot.repository.layout === 'cache' ? snapshotFolder(snapshot) : snapshot.repository.directory,
    },
    tags: recordTags(record as unknown as Record<string, unknown>),
  };
}

/** The `snapshots/{commit}` folder of a cache entry. */
function snapshotFolder(snapshot: RepositorySnapshot): string {
  return path.join(snapshot.repository.directory, 'snapshots', snapshot.commit);
}

/**
 * The candidates of `sources` (described one by one with `describe`) that match `query`, up to
 * its limit, checking its signal before each: the listing loop of the local providers.
 */
export async function* matchingLocalCandidates<Source>(
  query: ProviderQuery,
  sources: Iterable<Source> | AsyncIterable<Source>,
  describe: (source: Source) => Promise<LocalCandidate | undefined>,
): AsyncGenerator<ModelCandidate> {
  const limit = queryLimit(query);
  if (limit === 0) return;
  let count = 0;
  for await (const source of sources) {
    query.signal?.throwIfAborted();
    const described = await describe(source);
    if (!described || !matchesProviderQuery(described.candidate, query, described.tags)) continue;
    yield described.candidate;
    count += 1;
    if (count >= limit) return;
  }
}
