import path from 'node:path';
import { onnxVariantOf } from '../../discovery/providers/onnx-variants.js';
import { isPinned } from './cache-pins.js';
import type {
  CachedFileInfo,
  CachedRepositoryInfo,
  CachedRevisionInfo,
  CacheReport,
} from './cache-report.js';
import type { PruneStrategies } from './prune-options.js';
import type {
  CacheBlobRemoval,
  CacheBudgetCheck,
  CacheFileRemoval,
  CachePinnedRevision,
  CachePrunePlan,
  CacheReferenceRemoval,
  CacheRevisionRemoval,
  CacheRevisionRemovalReason,
} from './prune-plan.js';
import { compareText } from './scan-cache.js';

/** A plan as computed, before it is given an `execute()`. @internal */
export interface PlannedPrune extends Omit<CachePrunePlan, 'execute'> {
  /** Blob path → the removal that releases it ({@link removalKey}), to attribute freed bytes. */
  readonly blobOwners: ReadonlyMap<string, string>;
  /** Folders of the repositories whose revisions are all removed: tidied up (empty folders) after. */
  readonly emptiedRepositories: readonly string[];
  /**
   * Snapshot folder of each revision removed → the absolute paths of the entries the scan found
   * in it: its files and the broken links it warned about. Executing the plan removes those only;
   * an entry made in the snapshot after the plan is kept.
   */
  readonly snapshotEntries: ReadonlyMap<string, readonly string[]>;
}

/**
 * The key freed bytes are credited to: a whole revision (`'revision'`), or the files removed from
 * a revision that stays (`'files'`).
 * @internal
 */
export function removalKey(kind: 'revision' | 'files', modelId: string, commit: string): string {
  return `${kind}:${modelId}@${commit}`;
}

/** What is left of one repository while the plan is made. */
interface RepositoryLedger {
  readonly info: CachedRepositoryInfo;
  /** Own blobs (in its `blobs/`): remaining snapshot entries linking to each. */
  readonly linkCounts: Map<string, number>;
  readonly blobSizes: ReadonlyMap<string, number>;
  readonly removedCommits: Set<string>;
  /** Commit → paths of files already removed from it. */
  readonly removedFiles: Map<string, Set<string>>;
}

/**
 * Plans a prune of `report` with the strategies, in order: unused dtype variants, unused
 * revisions, size budget (LRU by `lastAccess`). Pure: reads nothing from disk.
 * @internal
 */
export function planPrune(report: CacheReport, strategies: PruneStrategies): PlannedPrune {
  const ledgers = report.repositories.map(ledgerOf);
  const revisions: CacheRevisionRemoval[] = [];
  const files: CacheFileRemoval[] = [];
  const blobs: CacheBlobRemoval[] = [];
  const refs: CacheReferenceRemoval[] = [];
  const notes: string[] = [];
  const blobOwners = new Map<string, string>();
  const snapshotEntries = new Map<string, readonly string[]>();
  const brokenEntries = brokenSnapshotEntries(report);
  let freed = 0;

  const pinned = (ledger: RepositoryLedger, revision: CachedRevisionInfo) =>
    isPinned(strategies.pins, ledger.info.id, revision);

  /** Removes snapshot entries from the ledger; returns the bytes that frees (blobs left unlinked, held files). */
  const releaseEntries = (ledger: RepositoryLedger, entries: readonly CachedFileInfo[], owner: string) => {
    let bytes = 0;
    for (const entry of entries) {
      const count = ledger.linkCounts.get(entry.blobPath);
      if (count !== undefined) {
        ledger.linkCounts.set(entry.blobPath, count - 1);
        if (count - 1 > 0) continue;
        const sizeOnDisk = ledger.blobSizes.get(entry.blobPath) ?? 0;
        blobs.push({ modelId: ledger.info.id, path: entry.blobPath, sizeOnDisk });
        blobOwners.set(entry.blobPath, owner);
        bytes += sizeOnDisk;
      } else if (entry.blobPath === entry.filePath) {
        bytes += entry.sizeOnDisk; // Held in the snapshot itself.
      }
      // Otherwise it links to a blob of another repository, which stays.
    }
    return bytes;
  };

  const removeRevision = (
    ledger: RepositoryLedger,
    revision: CachedRevisionInfo,
    reason: CacheRevisionRemovalReason,
  ) => {
    const owner = removalKey('revision', ledger.info.id, revision.commit);
    const gone = ledger.removedFiles.get(revision.commit);
    let bytes = releaseEntries(
      ledger,
      revision.files.filter((file) => !gone?.has(file.path)),
      owner,
    );
    for (const reference of ledger.info.refs) {
      if (reference.commit !== revision.commit) continue;
      refs.push({ modelId: ledger.info.id, ...reference });
      bytes += reference.sizeOnDisk;
    }
    ledger.removedCommits.add(revision.commit);
    snapshotEntries.set(revision.snapshotPath, [
      ...revision.files.map((file) => file.filePath),
      ...(brokenEntries.get(owner) ?? []),
    ]);
    revisions.push({
      modelId: ledger.info.id,
      commit: revision.commit,
      refs: revision.refs,
      snapshotPath: revision.snapshotPath,
      reason,
      lastAccess: revision.lastAccess,
      freedBytes: bytes,
    });
    freed += bytes;
  };

  if (strategies.unusedDtypes !== undefined) {
    const { keep, models } = strategies.unusedDtypes;
    for (const ledger of ledgers) {
      if (models !== undefined && !models.has(ledger.info.id)) continue;
      for (const revision of ledger.info.revisions) {
        if (pinned(ledger, revision)) continue;
        const { remove, keptParts } = unusedVariantFiles(revision.files, keep);
        for (const part of keptParts) {
          notes.push(
            `${ledger.info.id}@${revision.commit}: kept every dtype of ${part}, which has none of ${[...keep].join(', ')}`,
          );
        }
        if (remove.length === 0) continue;
        const owner = removalKey('files', ledger.info.id, revision.commit);
        const removed = new Set<string>();
        ledger.removedFiles.set(revision.commit, removed);
        for (const { file, dtype } of remove) {
          const bytes = releaseEntries(ledger, [file], owner);
          removed.add(file.path);
          files.push({
            modelId: ledger.info.id,
            commit: revision.commit,
            path: file.path,
            filePath: file.filePath,
            dtype,
            reason: 'unused-dtype',
            freedBytes: bytes,
          });
          freed += bytes;
        }
      }
    }
  }

  if (strategies.unusedRevisions !== undefined) {
    const { keepNewest } = strategies.unusedRevisions;
    for (const ledger of ledgers) {
      // Revisions are sorted most recently modified first.
      const unused = ledger.info.revisions.filter(
        (revision) => revision.refs.length === 0 && !pinned(ledger, revision),
      );
      for (const revision of unused.slice(keepNewest)) removeRevision(ledger, revision, 'unused-revision');
    }
  }

  let budget: CacheBudgetCheck | undefined;
  if (strategies.budgetBytes !== undefined) {
    const budgetBytes = strategies.budgetBytes;
    const candidates = ledgers
      .flatMap((ledger) =>
        ledger.info.revisions
          .filter((revision) => !ledger.removedCommits.has(revision.commit) && !pinned(ledger, revision))
          .map((revision) => ({ ledger, revision })),
      )
      .sort(
        (left, right) =>
          left.revision.lastAccess - right.revision.lastAccess ||
          left.revision.lastModified - right.revision.lastModified ||
          compareText(left.ledger.info.id, right.ledger.info.id) ||
          compareText(left.revision.commit, right.revision.commit),
      );
    for (const { ledger, revision } of candidates) {
      if (report.sizeOnDisk - freed <= budgetBytes) break;
      removeRevision(ledger, revision, 'budget');
    }
    const fits = report.sizeOnDisk - freed <= budgetBytes;
    const pinnedLeft: CachePinnedRevision[] = fits
      ? []
      : ledgers.flatMap((ledger) =>
          ledger.info.revisions
            .filter((revision) => !ledger.removedCommits.has(revision.commit) && pinned(ledger, revision))
            .map((revision) => ({
              modelId: ledger.info.id,
              commit: revision.commit,
              sizeOnDisk: revision.sizeOnDisk,
            })),
        );
    budget = {
      budgetBytes,
      fits,
      pinned: pinnedLeft,
      message: fits ? undefined : budgetMessage(report.sizeOnDisk - freed, budgetBytes, pinnedLeft, ledgers),
    };
  }

  return {
    directory: report.directory,
    revisions,
    files,
    blobs,
    refs,
    sizeBeforeBytes: report.sizeOnDisk,
    expectedFreedBytes: freed,
    expectedSizeAfterBytes: report.sizeOnDisk - freed,
    budget,
    notes,
    blobOwners,
    emptiedRepositories: ledgers
      .filter(
        (ledger) =>
          ledger.info.revisions.length > 0 && ledger.removedCommits.size === ledger.info.revisions.length,
      )
      .map((ledger) => ledger.info.path),
    snapshotEntries,
  };
}

/**
 * The snapshot entries the scan left out of the revisions' files and warned about (dangling links,
 * links out of the cache or to folders), by {@link removalKey} of their revision.
 */
function brokenSnapshotEntries(report: CacheReport): Map<string, string[]> {
  const entries = new Map<string, string[]>();
  for (const warning of report.warnings) {
    const { modelId, commit, file } = warning;
    if (modelId === undefined || commit === undefined || file === undefined) continue;
    const key = removalKey('revision', modelId, commit);
    entries.set(key, [...(entries.get(key) ?? []), warning.path]);
  }
  return entries;
}

function ledgerOf(info: CachedRepositoryInfo): RepositoryLedger {
  const blobSizes = new Map<string, number>();
  const linkCounts = new Map<string, number>();
  const blobsFolder = path.join(info.path, 'blobs');
  for (const revision of info.revisions) {
    for (const file of revision.files) {
      if (path.dirname(file.blobPath) !== blobsFolder) continue;
      blobSizes.set(file.blobPath, file.sizeOnDisk);
      linkCounts.set(file.blobPath, (linkCounts.get(file.blobPath) ?? 0) + 1);
    }
  }
  return { info, linkCounts, blobSizes, removedCommits: new Set(), removedFiles: new Map() };
}

const EXTERNAL_DATA = /^(.*\.onnx)_data(_\d+)?$/;

/**
 * The ONNX files of a revision whose dtype is not kept, with their external data files
 * (`model_fp16.onnx_data`, `model.onnx_data_1`), grouped by model part (`onnx/model`,
 * `onnx/decoder_model_merged`): a part that has none of the kept dtypes is left whole.
 */
function unusedVariantFiles(
  files: readonly CachedFileInfo[],
  keep: ReadonlySet<string>,
): { remove: { file: CachedFileInfo; dtype: string }[]; keptParts: string[] } {
  const parts = new Map<string, { dtypes: Set<string>; files: { file: CachedFileInfo; dtype: string }[] }>();
  const variantOfWeights = new Map<string, { part: string; dtype: string }>();
  for (const file of files) {
    const variant = onnxVariantOf(file.path);
    if (!variant) continue;
    const folder = path.posix.dirname(file.path);
    const part = folder === '.' ? variant.base : `${folder}/${variant.base}`;
    variantOfWeights.set(file.path, { part, dtype: variant.dtype });
  }
  for (const file of files) {
    const weights =
      variantOfWeights.get(file.path) ?? variantOfWeights.get(EXTERNAL_DATA.exec(file.path)?.[1] ?? '');
    if (!weights) continue;
    let part = parts.get(weights.part);
    if (!part) {
      part = { dtypes: new Set(), files: [] };
      parts.set(weights.part, part);
    }
    part.dtypes.add(weights.dtype);
    part.files.push({ file, dtype: weights.dtype });
  }
  const remove: { file: CachedFileInfo; dtype: string }[] = [];
  const keptParts: string[] = [];
  for (const [name, part] of parts) {
    if (![...part.dtypes].some((dtype) => keep.has(dtype))) {
      keptParts.push(name);
      continue;
    }
    remove.push(...part.files.filter(({ dtype }) => !keep.has(dtype)));
  }
  return { remove, keptParts };
}

function budgetMessage(
  size: number,
  budgetBytes: number,
  pinned: readonly CachePinnedRevision[],
  ledgers: readonly RepositoryLedger[],
): string {
  const unreferenced = ledgers.reduce(
    (total, ledger) => total + ledger.info.unreferencedBlobs.reduce((sum, blob) => sum + blob.sizeOnDisk, 0),
    0,
  );
  const reasons = [
    ...(pinned.length > 0
      ? [
          `${pinned.length} pinned revision${pinned.length === 1 ? '' : 's'} (${pinned.map((pin) => `${pin.modelId}@${pin.commit.slice(0, 8)}`).join(', ')}) that are never evicted`,
        ]
      : []),
    ...(unreferenced > 0
      ? [`${unreferenced} bytes of blobs no snapshot links to (downloads in progress or leftovers)`]
      : []),
  ];
  return `the cache would still hold ${size} bytes, over the budget of ${budgetBytes} bytes: it keeps ${reasons.length > 0 ? reasons.join(' and ') : 'files pruning cannot remove'}`;
}
