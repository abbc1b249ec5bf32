import type { JsonValue, Store } from '../../store/spec.js';
import type { LastUses } from './scan-cache.js';

/**
 * Cache statistics, summed over every process sharing the store (they are additive counters).
 */
export interface CacheStatistics {
  /** Lookups that found the model in the cache (`recordLookup(true)`). */
  readonly hits: number;
  /** Lookups that did not (`recordLookup(false)`). */
  readonly misses: number;
  /** `hits / (hits + misses)`; `undefined` before the first lookup. */
  readonly hitRate: number | undefined;
  /** Bytes served from the cache on hits, as reported to `recordLookup`. */
  readonly hitBytes: number;
  /** Bytes fetched on misses, as reported to `recordLookup`. */
  readonly missBytes: number;
  /** Revisions removed by executed prune plans. */
  readonly evictions: number;
  /** Files removed from revisions that were kept (unused dtype variants). */
  readonly removedFiles: number;
  /** Bytes freed by executed prune plans. */
  readonly freedBytes: number;
}

const PREFIX = 'modelscout:cache:';
const STATISTICS_KEY = `${PREFIX}statistics`;
const LAST_USE_PREFIX = `${PREFIX}last-use:`;

function part(text: string): string {
  // ':' separates the parts of a key; every part is URI-encoded, so none contains one.
  return encodeURIComponent(text);
}

/**
 * Records that `revision` (a commit sha, or a ref name not resolvable yet) of `modelId` was used
 * at `time`: a document `modelscout:cache:last-use:{model}:{revision}` (parts URI-encoded),
 * replaced only by a later time, so processes sharing the store keep the latest use.
 * @internal
 */
export async function writeLastUse(
  store: Store,
  modelId: string,
  revision: string,
  time: number,
): Promise<void> {
  const key = `${LAST_USE_PREFIX}${part(modelId)}:${part(revision)}`;
  const previous = timeOf(await store.getDocument(key));
  if (previous !== undefined && previous >= time) return;
  await store.setDocument(key, { modelId, revision, time });
}

/** Every recorded last use. @internal */
export async function readLastUses(store: Store): Promise<LastUses> {
  const uses = new Map<string, Map<string, number>>();
  for await (const [, value] of store.scanDocuments(LAST_USE_PREFIX)) {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) continue;
    const { modelId, revision } = value as Record<string, JsonValue>;
    const time = timeOf(value);
    if (typeof modelId !== 'string' || typeof revision !== 'string' || time === undefined) continue;
    let revisions = uses.get(modelId);
    if (revisions === undefined) {
      revisions = new Map();
      uses.set(modelId, revisions);
    }
    revisions.set(revision, Math.max(time, revisions.get(revision) ?? time));
  }
  return uses;
}

function timeOf(value: JsonValue | undefined): number | undefined {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
  const time = (value as Record<string, JsonValue>).time;
  return typeof time === 'number' && Number.isFinite(time) ? time : undefined;
}

/** Counter fields of the statistics hash. @internal */
export type StatisticsField =
  | 'hits'
  | 'misses'
  | 'hitBytes'
  | 'missBytes'
  | 'evictions'
  | 'removedFiles'
  | 'freedBytes';

/** Adds to the statistics counters (one atomic increment). @internal */
export async function addStatistics(
  store: Store,
  deltas: Partial<Record<StatisticsField, number>>,
): Promise<void> {
  await store.increment([{ key: STATISTICS_KEY, deltas }]);
}

/** Reads the statistics counters. @internal */
export async function readStatistics(store: Store): Promise<CacheStatistics> {
  const [record = {}] = await store.readCounters([STATISTICS_KEY]);
  const field = (name: StatisticsField) => record[name] ?? 0;
  const hits = field('hits');
  const misses = field('misses');
  return {
    hits,
    misses,
    hitRate: hits + misses === 0 ? undefined : hits / (hits + misses),
    hitBytes: field('hitBytes'),
    missBytes: field('missBytes'),
    evictions: field('evictions'),
    removedFiles: field('removedFiles'),
    freedBytes: field('freedBytes'),
  };
}
