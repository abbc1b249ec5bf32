import type { Bitset } from './bitset.js';
import type { CandidateColumns } from './candidate-columns.js';
import type { NumericField } from './candidate-entry.js';
import type { CandidateSortKey, CandidateSortOrder } from './candidate-query.js';
import type { KeyRanks } from './key-ranks.js';

/** A sort key other than relevance. @internal */
export type FieldSortKey = Exclude<CandidateSortKey, 'relevance'>;

const FIELD: Readonly<Record<FieldSortKey, NumericField>> = {
  downloads: 'downloads',
  likes: 'likes',
  lastModified: 'lastModified',
  size: 'sizeBytes',
  parameters: 'parameters',
};

interface SortedSlots {
  /** Slots in order; may still hold slots that died since. */
  slots: Int32Array;
  /** Every live slot below this one is in `slots`. */
  covered: number;
}

/**
 * Presorted permutations of the slots, one per sort key and order, built on first use: known
 * values in `order`, ties by key ascending, then slots without the field (by key). When slots
 * are added, the next use sorts only the new ones and merges them in; dead slots are skipped by
 * the match bitset until {@link SortOrders.remap} drops them. Ties compare {@link KeyRanks}.
 * @internal
 */
export class SortOrders {
  readonly #orders = new Map<string, SortedSlots>();

  /**
   * The slots ordered by `key` and `order` (a superset of the live slots; do not modify), given
   * the current {@link KeyRanks} of the slots.
   */
  ordered(
    columns: CandidateColumns,
    ranks: Int32Array,
    key: FieldSortKey,
    order: CandidateSortOrder,
  ): Int32Array {
    const name = `${key}:${order}`;
    let sorted = this.#orders.get(name);
    if (sorted === undefined) {
      // The opposite order, when there is one, gives this one in a linear pass.
      const opposite = this.#orders.get(`${key}:${order === 'ascending' ? 'descending' : 'ascending'}`);
      sorted =
        opposite === undefined
          ? { slots: new Int32Array(0), covered: 0 }
          : {
              slots: reversed(columns, opposite.slots, columns.numbers(FIELD[key])),
              covered: opposite.covered,
            };
      this.#orders.set(name, sorted);
    }
    if (sorted.covered < columns.slotCount) {
      const compare = comparator(columns.numbers(FIELD[key]), ranks, order === 'ascending' ? 1 : -1);
      const added: number[] = [];
      for (let slot = sorted.covered; slot < columns.slotCount; slot++) {
        if (columns.entries[slot] !== undefined) added.push(slot);
      }
      added.sort(compare);
      sorted.slots = merge(columns, sorted.slots, added, compare);
      sorted.covered = columns.slotCount;
    }
    return sorted.slots;
  }

  /** Renumbers every permutation by `remap` (−1 drops a slot), keeping the order. */
  remap(remap: Int32Array): void {
    for (const sorted of this.#orders.values()) {
      const slots = sorted.slots;
      let kept = 0;
      for (const slot of slots) {
        const target = remap[slot]!;
        if (target >= 0) slots[kept++] = target;
      }
      sorted.slots = slots.slice(0, kept);
      // Renumbering keeps the order of slots, so the covered live slots stay the first ones.
      let covered = 0;
      for (let slot = 0; slot < sorted.covered; slot++) if (remap[slot]! >= 0) covered++;
      sorted.covered = covered;
    }
  }

  /** Forgets every permutation. */
  clear(): void {
    this.#orders.clear();
  }
}

/**
 * The first `limit` slots of `order` that are in `matches`, after skipping `offset` of them.
 * @internal
 */
export function pageInOrder(order: Int32Array, matches: Bitset, offset: number, limit: number): number[] {
  const page: number[] = [];
  if (limit === 0) return page;
  const words = matches.words;
  let seen = 0;
  for (let index = 0; index < order.length; index++) {
    const slot = order[index]!;
    if ((words[slot >>> 5]! & (1 << (slot & 31))) === 0) continue;
    if (seen++ < offset) continue;
    page.push(slot);
    if (page.length === limit) break;
  }
  return page;
}

function comparator(
  values: Float64Array,
  ranks: Int32Array,
  direction: 1 | -1,
): (left: number, right: number) => number {
  return (left, right) => {
    const leftValue = values[left]!;
    const rightValue = values[right]!;
    const leftKnown = !Number.isNaN(leftValue);
    const rightKnown = !Number.isNaN(rightValue);
    if (leftKnown !== rightKnown) return leftKnown ? -1 : 1;
    if (leftKnown && leftValue !== rightValue) return leftValue < rightValue ? -direction : direction;
    return ranks[left]! - ranks[right]!;
  };
}

/**
 * The live slots of `sorted` in the opposite order of their known values: the known values
 * reversed, each run of equal values kept in its (key) order, and unknown values still last.
 */
function reversed(columns: CandidateColumns, sorted: Int32Array, values: Float64Array): Int32Array {
  const entries = columns.entries;
  const result = new Int32Array(sorted.length);
  let known = 0;
  while (known < sorted.length && !Number.isNaN(values[sorted[known]!]!)) known++;
  let out = 0;
  let end = known;
  while (end > 0) {
    const value = values[sorted[end - 1]!]!;
    let start = end - 1;
    while (start > 0 && values[sorted[start - 1]!] === value) start--;
    for (let index = start; index < end; index++) {
      const slot = sorted[index]!;
      if (entries[slot] !== undefined) result[out++] = slot;
    }
    end = start;
  }
  for (let index = known; index < sorted.length; index++) {
    const slot = sorted[index]!;
    if (entries[slot] !== undefined) result[out++] = slot;
  }
  return result.slice(0, out);
}

/** Merges sorted `added` slots into sorted `sorted` ones, dropping those of `sorted` now dead. */
function merge(
  columns: CandidateColumns,
  sorted: Int32Array,
  added: readonly number[],
  compare: (left: number, right: number) => number,
): Int32Array {
  const entries = columns.entries;
  const merged = new Int32Array(sorted.length + added.length);
  let left = 0;
  let right = 0;
  let out = 0;
  while (left < sorted.length) {
    const slot = sorted[left]!;
    if (entries[slot] === undefined) {
      left++;
      continue;
    }
    while (right < added.length && compare(added[right]!, slot) < 0) merged[out++] = added[right++]!;
    merged[out++] = slot;
    left++;
  }
  while (right < added.length) merged[out++] = added[right++]!;
  return merged.slice(0, out);
}
