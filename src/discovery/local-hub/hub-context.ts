import { randomUUID } from 'node:crypto';
import type { FileDigestCache } from './file-digest.js';
import { buildModelRecord, type ModelRecord } from './model-record.js';
import {
  findRepository,
  type LocalRepository,
  type RepositorySnapshot,
  scanRepositories,
  snapshotAt,
} from './repository-scanner.js';

/** What the request handlers share: the root, the caches and the limits. */
export interface HubContext {
  /** Real path of the served folder. */
  readonly realRoot: string;
  readonly digests: FileDigestCache;
  /** The most models one page of `GET /api/models` returns. */
  readonly maxPageSize: number;
  /** The repository `id` at `revision`; a string says which of the two is missing. */
  snapshot(id: string, revision: string): Promise<RepositorySnapshot | 'RepoNotFound' | 'RevisionNotFound'>;
  /** The record of a snapshot (cached per commit). */
  record(snapshot: RepositorySnapshot): Promise<ModelRecord>;
  /**
   * Records of every repository at `main`. A new scan is taken when `snapshotId` is missing or
   * forgotten; pages of one listing reuse the scan of its first page, so they stay consistent.
   */
  listing(
    snapshotId: string | undefined,
  ): Promise<{ readonly snapshotId: string; readonly records: readonly ModelRecord[] }>;
}

const MAX_LISTINGS = 16;
const MAX_RECORDS = 20_000;
const SCAN_CONCURRENCY = 32;

/** Creates the {@link HubContext} of a local hub. */
export function createHubContext({
  realRoot,
  digests,
  maxPageSize,
}: {
  realRoot: string;
  digests: FileDigestCache;
  maxPageSize: number;
}): HubContext {
  const records = new Map<string, Promise<ModelRecord>>();
  const listings = new Map<string, readonly ModelRecord[]>();

  const record = (snapshot: RepositorySnapshot): Promise<ModelRecord> => {
    const key = `${snapshot.repository.directory}\0${snapshot.commit}`;
    const cached = records.get(key);
    if (cached) return cached;
    const pending = buildModelRecord(snapshot);
    records.set(key, pending);
    pending.catch(() => records.delete(key));
    if (records.size > MAX_RECORDS) {
      const oldest = records.keys().next().value;
      if (oldest !== undefined) records.delete(oldest);
    }
    return pending;
  };

  const recordOf = async (repository: LocalRepository): Promise<ModelRecord | undefined> => {
    const snapshot = await snapshotAt(realRoot, repository, 'main');
    return snapshot ? record(snapshot) : undefined;
  };

  return {
    realRoot,
    digests,
    maxPageSize,
    async snapshot(id, revision) {
      const repository = await findRepository(realRoot, id);
      if (!repository) return 'RepoNotFound';
      return (await snapshotAt(realRoot, repository, revision)) ?? 'RevisionNotFound';
    },
    record,
    async listing(snapshotId) {
      const known = snapshotId === undefined ? undefined : listings.get(snapshotId);
      if (snapshotId !== undefined && known) return { snapshotId, records: known };
      const repositories = await scanRepositories(realRoot);
      const found: ModelRecord[] = [];
      for (let start = 0; start < repositories.length; start += SCAN_CONCURRENCY) {
        const batch = await Promise.all(repositories.slice(start, start + SCAN_CONCURRENCY).map(recordOf));
        for (const item of batch) if (item) found.push(item);
      }
      const id = randomUUID();
      listings.set(id, found);
      if (listings.size > MAX_LISTINGS) {
        const oldest = listings.keys().next().value;
        if (oldest !== undefined) listings.delete(oldest);
      }
      return { snapshotId: id, records: found };
    },
  };
}
