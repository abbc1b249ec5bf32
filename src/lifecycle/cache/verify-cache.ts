import path from 'node:path';
import { type BlobHashAlgorithm, blobHashAlgorithm, hashFile } from './blob-hash.js';
import type { CacheReport } from './cache-report.js';
import { compareText } from './scan-cache.js';
import type {
  CacheFileStatus,
  CacheProblem,
  CacheVerificationReport,
  VerifiedCacheFile,
} from './verification-report.js';

/** What {@link verifyCache} checks. @internal */
export interface VerifyInput {
  readonly report: CacheReport;
  /** Only these models; every model when `undefined`. */
  readonly models: ReadonlySet<string> | undefined;
  readonly signal: AbortSignal | undefined;
}

type HashOutcome = { readonly actualHash: string; readonly sizeOnDisk: number } | { readonly error: unknown };

/**
 * Checks a scanned cache: hashes each distinct blob once and compares it with its name, reports
 * broken snapshot entries from the scan's warnings, and `*.incomplete` leftovers.
 * @internal
 */
export async function verifyCache({ report, models, signal }: VerifyInput): Promise<CacheVerificationReport> {
  const selected = (modelId: string | undefined) =>
    modelId !== undefined && (models === undefined || models.has(modelId));
  const hashes = new Map<string, HashOutcome>();
  let checkedBlobs = 0;
  let checkedBytes = 0;
  const check = async (blobPath: string, algorithm: BlobHashAlgorithm, sizeOnDisk: number) => {
    let outcome = hashes.get(blobPath);
    if (outcome === undefined) {
      signal?.throwIfAborted();
      try {
        outcome = { actualHash: await hashFile(blobPath, algorithm, signal), sizeOnDisk };
        checkedBlobs += 1;
        checkedBytes += sizeOnDisk;
      } catch (error) {
        signal?.throwIfAborted();
        outcome = { error };
      }
      hashes.set(blobPath, outcome);
    }
    return outcome;
  };

  const files: VerifiedCacheFile[] = [];
  const problems: CacheProblem[] = [];
  for (const repository of report.repositories) {
    if (!selected(repository.id)) continue;
    for (const revision of repository.revisions) {
      for (const file of revision.files) {
        const name = path.basename(file.blobPath);
        const algorithm = file.blobPath === file.filePath ? undefined : blobHashAlgorithm(name);
        const base = {
          modelId: repository.id,
          commit: revision.commit,
          path: file.path,
          filePath: file.filePath,
          blobPath: file.blobPath,
          algorithm,
          expectedHash: algorithm === undefined ? undefined : name,
        };
        if (algorithm === undefined) {
          files.push({ ...base, status: 'unverifiable', actualHash: undefined });
          continue;
        }
        const outcome = await check(file.blobPath, algorithm, file.sizeOnDisk);
        const context = {
          path: file.filePath,
          modelId: repository.id,
          commit: revision.commit,
          file: file.path,
        };
        if ('error' in outcome) {
          files.push({ ...base, status: 'unreadable', actualHash: undefined });
          problems.push({
            ...context,
            kind: 'unreadable',
            message: `cannot read ${file.blobPath}: ${describe(outcome.error)}`,
          });
          continue;
        }
        const status: CacheFileStatus = outcome.actualHash === name ? 'ok' : 'corrupted';
        files.push({ ...base, status, actualHash: outcome.actualHash });
        if (status === 'corrupted') {
          problems.push({
            ...context,
            kind: 'corrupted',
            message: `the content of ${file.blobPath} hashes to ${outcome.actualHash} (${algorithm}), not to its name`,
          });
        }
      }
    }
    for (const blob of repository.unreferencedBlobs) {
      if (blob.incomplete) {
        problems.push({
          kind: 'incomplete-download',
          path: blob.path,
          modelId: repository.id,
          message: `an interrupted download (or one in progress) of ${blob.sizeOnDisk} bytes`,
        });
        continue;
      }
      const algorithm = blobHashAlgorithm(path.basename(blob.path));
      if (algorithm === undefined) continue;
      const outcome = await check(blob.path, algorithm, blob.sizeOnDisk);
      if ('error' in outcome) {
        problems.push({
          kind: 'unreadable',
          path: blob.path,
          modelId: repository.id,
          message: `cannot read it: ${describe(outcome.error)}`,
        });
      } else if (outcome.actualHash !== path.basename(blob.path)) {
        problems.push({
          kind: 'corrupted',
          path: blob.path,
          modelId: repository.id,
          message: `its content hashes to ${outcome.actualHash} (${algorithm}), not to its name (no snapshot links to it)`,
        });
      }
    }
  }

  for (const warning of report.warnings) {
    if (warning.file === undefined || warning.commit === undefined || !selected(warning.modelId)) continue;
    if (warning.kind !== 'dangling-link' && warning.kind !== 'outside-link' && warning.kind !== 'unreadable')
      continue;
    const modelId = warning.modelId as string;
    files.push({
      modelId,
      commit: warning.commit,
      path: warning.file,
      filePath: warning.path,
      blobPath: undefined,
      status: warning.kind,
      algorithm: undefined,
      expectedHash: undefined,
      actualHash: undefined,
    });
    problems.push({
      kind: warning.kind,
      path: warning.path,
      modelId,
      commit: warning.commit,
      file: warning.file,
      message: warning.message,
    });
  }

  files.sort(
    (left, right) =>
      compareText(left.modelId, right.modelId) ||
      compareText(left.commit, right.commit) ||
      compareText(left.path, right.path),
  );
  return {
    directory: report.directory,
    files,
    problems,
    ok: problems.length === 0,
    checkedBlobs,
    checkedBytes,
    warnings: report.warnings,
  };
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
