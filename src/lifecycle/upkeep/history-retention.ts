import { HISTORY_DEFAULTS } from '../../history/history-options.js';
import { outcomeLogPrefix } from '../../history/outcome-log.js';
import { bucketOfKey, performancePrefix } from '../../history/performance-history.js';
import type { CounterRecord, JsonValue, Store } from '../../store/spec.js';
import { availabilityPrefix } from './availability-history.js';

/** How many records of each kind a pruning removed. */
export interface PrunedRecords {
  /** Evaluation results (`modelscout:{namespace}:evaluations:…`). */
  readonly evaluations: number;
  /** Availability checks (`modelscout:{namespace}:availability:…`). */
  readonly availability: number;
  /** Buckets of the performance time series (`modelscout:{namespace}:performance:…`, counters). */
  readonly performance: number;
  /** Chunks of the outcome log (`modelscout:{namespace}:outcomes:…`). */
  readonly outcomes: number;
}

/** The time stamp of a history key (`…:{15-digit time}-{nonce}`), or `undefined`. */
function timeOfKey(key: string): number | undefined {
  const match = /:(\d{15})-[0-9a-f]{8}$/.exec(key);
  return match === null ? undefined : Number(match[1]);
}

async function deleteOlder(
  store: Store,
  entries: AsyncIterable<readonly [key: string, value: JsonValue | CounterRecord]>,
  timeOf: (key: string) => number | undefined,
  olderThan: number,
  signal: AbortSignal | undefined,
): Promise<number> {
  const stale: string[] = [];
  for await (const [key] of entries) {
    const time = timeOf(key);
    if (time !== undefined && time < olderThan) stale.push(key);
  }
  let removed = 0;
  for (const key of stale) {
    signal?.throwIfAborted();
    if (await store.delete(key)) removed++;
  }
  return removed;
}

/**
 * Removes the history records older than `olderThan`: evaluation results, availability records
 * and outcome log chunks (documents, by the time in their key; a chunk's is its newest entry's)
 * and performance buckets (counters of width `bucketMs`, once they end at or before the cut-off:
 * a bucket that holds outcomes after it is kept whole). Keys without a time stamp are kept, and so
 * are model records and the bandit statistics. @internal
 */
export async function pruneHistory(
  store: Store,
  namespace: string,
  olderThan: number,
  signal?: AbortSignal,
  bucketMs: number = HISTORY_DEFAULTS.bucketMs,
): Promise<PrunedRecords> {
  const documentsOlder = (prefix: string) =>
    deleteOlder(store, store.scanDocuments(prefix), timeOfKey, olderThan, signal);
  const evaluations = await documentsOlder(`modelscout:${namespace}:evaluations:`);
  const availability = await documentsOlder(availabilityPrefix(namespace));
  const outcomes = await documentsOlder(outcomeLogPrefix(namespace));
  // A bucket is older than the cut-off when its end is: compare its start with the cut-off less a width.
  const performance = await deleteOlder(
    store,
    store.scanCounters(performancePrefix(namespace)),
    bucketOfKey,
    olderThan - bucketMs + 1,
    signal,
  );
  return { evaluations, availability, performance, outcomes };
}
