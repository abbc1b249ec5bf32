import type { CandidateEntry } from './candidate-entry.js';
import type { CandidateSortKey, CandidateSortOrder } from './candidate-query.js';

/** A sort key other than relevance. @internal */
export type FieldSortKey = Exclude<CandidateSortKey, 'relevance'>;

const FIELD: Readonly<Record<FieldSortKey, (entry: CandidateEntry) => number>> = {
  downloads: (entry) => entry.downloads,
  likes: (entry) => entry.likes,
  lastModified: (entry) => entry.lastModified,
  size: (entry) => entry.sizeBytes,
  parameters: (entry) => entry.parameters,
};

function compareKeys(left: CandidateEntry, right: CandidateEntry): number {
  return left.key < right.key ? -1 : left.key > right.key ? 1 : 0;
}

/**
 * Every entry ordered by a field: known values in `order`, ties by key ascending, then entries
 * without the field (by key). Built once per key and order, and reused until the index changes.
 * @internal
 */
export function sortedEntries(
  entries: readonly CandidateEntry[],
  key: FieldSortKey,
  order: CandidateSortOrder,
): readonly CandidateEntry[] {
  const field = FIELD[key];
  const known: CandidateEntry[] = [];
  const unknown: CandidateEntry[] = [];
  for (const entry of entries) (Number.isNaN(field(entry)) ? unknown : known).push(entry);
  const direction = order === 'ascending' ? 1 : -1;
  known.sort((left, right) => direction * (field(left) - field(right)) || compareKeys(left, right));
  unknown.sort(compareKeys);
  for (const entry of unknown) known.push(entry);
  return known;
}
