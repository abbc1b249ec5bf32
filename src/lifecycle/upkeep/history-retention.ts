import type { Store } from '../../store/spec.js';
import { availabilityPrefix } from './availability-history.js';

/** The time stamp of a history key (`…:{15-digit time}-{nonce}`), or `undefined`. */
function timeOfKey(key: string): number | undefined {
  const match = /:(\d{15})-[0-9a-f]{8}$/.exec(key);
  return match === null ? undefined : Number(match[1]);
}

async function deleteOlder(
  store: Store,
  prefix: string,
  olderThan: number,
  signal: AbortSignal | undefined,
): Promise<number> {
  const stale: string[] = [];
  for await (const [key] of store.scanDocuments(prefix)) {
    const time = timeOfKey(key);
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
 * Removes evaluation results (`modelscout:{namespace}:evaluations:…`) and availability records
 * whose time stamp is before `olderThan`. Keys without a time stamp are kept. @internal
 */
export async function pruneHistory(
  store: Store,
  namespace: string,
  olderThan: number,
  signal?: AbortSignal,
): Promise<{ evaluations: number; availability: number }> {
  const evaluations = await deleteOlder(store, `modelscout:${namespace}:evaluations:`, olderThan, signal);
  const availability = await deleteOlder(store, availabilityPrefix(namespace), olderThan, signal);
  return { evaluations, availability };
}
