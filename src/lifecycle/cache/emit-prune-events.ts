import type { EventEmitter } from 'eventemitter3';
import type { CacheEvents } from './cache-events.js';
import type { ExecutedPrune } from './execute-prune.js';
import { type PlannedPrune, removalKey } from './plan-prune.js';
import type { CacheFileRemoval, CachePruneResult } from './prune-plan.js';

/**
 * Emits the events of an executed plan: `cache_evicted` per removed revision,
 * `cache_files_removed` per revision that lost dtype variants (with the bytes each actually
 * freed), and `cache_budget_exceeded` when the plan could not fit its budget.
 * @internal
 */
export function emitPruneEvents(
  events: EventEmitter<CacheEvents>,
  planned: PlannedPrune,
  executed: ExecutedPrune,
  result: CachePruneResult,
): void {
  for (const revision of result.removedRevisions) {
    events.emit('cache_evicted', {
      modelId: revision.modelId,
      commit: revision.commit,
      refs: revision.refs,
      reason: revision.reason,
      lastAccess: revision.lastAccess,
      freedBytes: executed.freedByRemoval.get(removalKey('revision', revision.modelId, revision.commit)) ?? 0,
    });
  }
  const filesByRevision = new Map<string, CacheFileRemoval[]>();
  for (const file of result.removedFiles) {
    const key = removalKey('files', file.modelId, file.commit);
    filesByRevision.set(key, [...(filesByRevision.get(key) ?? []), file]);
  }
  for (const [key, files] of filesByRevision) {
    const [first] = files as [CacheFileRemoval];
    events.emit('cache_files_removed', {
      modelId: first.modelId,
      commit: first.commit,
      paths: files.map((file) => file.path),
      dtypes: [...new Set(files.map((file) => file.dtype))],
      freedBytes: executed.freedByRemoval.get(key) ?? 0,
    });
  }
  if (planned.budget !== undefined && !planned.budget.fits) {
    events.emit('cache_budget_exceeded', {
      budget: planned.budget,
      sizeOnDisk: planned.expectedSizeAfterBytes,
    });
  }
}
