import { describe, expect, test } from 'vitest';
import type { ModelCandidate } from '../../core/model-candidate.js';
import { seededRandom } from '../../random/index.js';
import { CandidateColumns } from './candidate-columns.js';
import { type CandidateEntry, createEntry, createVocabularies } from './candidate-entry.js';
import type { CandidateSortOrder } from './candidate-query.js';
import { KeyRanks } from './key-ranks.js';
import { type FieldSortKey, SortOrders } from './sort-orders.js';

const KEYS: readonly FieldSortKey[] = ['downloads', 'likes', 'lastModified', 'size', 'parameters'];
const ORDERS: readonly CandidateSortOrder[] = ['descending', 'ascending'];
const VALUE: Record<FieldSortKey, (candidate: ModelCandidate) => number | undefined> = {
  downloads: (candidate) => candidate.downloads,
  likes: (candidate) => candidate.likes,
  lastModified: (candidate) =>
    candidate.lastModified === undefined ? undefined : Date.parse(candidate.lastModified),
  size: (candidate) => candidate.sizeBytes,
  parameters: (candidate) => candidate.parameters,
};

describe('SortOrders and KeyRanks', () => {
  test('orders equal a full sort (ties by key, unknown last) through additions, removals and compaction', () => {
    const random = seededRandom('sort-orders');
    const vocabularies = createVocabularies();
    const columns = new CandidateColumns();
    const orders = new SortOrders();
    const ranks = new KeyRanks();
    const small = <Value>(values: readonly Value[]) => values[Math.floor(random.next() * values.length)];
    let next = 0;
    const add = (count: number) => {
      for (let index = 0; index < count; index++) {
        const candidate: ModelCandidate = {
          // Keys out of insertion order, so that key order and slot order differ.
          id: `m-${Math.floor(random.next() * 1000)}-${next++}`,
          downloads: small([0, 1, 2, undefined]),
          likes: small([5, undefined]),
          lastModified: small(['2024-01-01', '2023-01-01', undefined]),
          sizeBytes: small([1, 2, 3, 4, 5, 6, undefined]),
          parameters: small([10, 20, Number.NaN, Number.POSITIVE_INFINITY]),
        };
        columns.append(createEntry(candidate, vocabularies));
      }
    };
    const check = () => {
      const live = columns.entries.filter((entry): entry is CandidateEntry => entry !== undefined);
      for (const key of KEYS) {
        // Alternate which order is built first: the second is derived from the first.
        for (const order of random.next() < 0.5 ? ORDERS : [...ORDERS].reverse()) {
          const value = (entry: CandidateEntry) => {
            const number = VALUE[key](entry.candidate);
            return typeof number === 'number' && Number.isFinite(number) ? number : undefined;
          };
          const expected = [...live]
            .sort((left, right) => {
              const leftValue = value(left);
              const rightValue = value(right);
              if ((leftValue === undefined) !== (rightValue === undefined))
                return leftValue === undefined ? 1 : -1;
              const difference =
                leftValue === undefined ? 0 : (leftValue - rightValue!) * (order === 'ascending' ? 1 : -1);
              return difference || (left.key < right.key ? -1 : 1);
            })
            .map((entry) => entry.key);
          const slots = orders.ordered(columns, ranks.ranks(columns), key, order);
          const actual = Array.from(slots)
            .filter((slot) => columns.entries[slot] !== undefined)
            .map((slot) => columns.entries[slot]!.key);
          expect(actual, `${key} ${order}`).toEqual(expected);
        }
      }
    };
    add(300);
    check();
    add(40);
    check();
    for (const entry of columns.entries.filter(() => random.next() < 0.3)) columns.delete(entry!);
    add(25);
    check();
    const remap = columns.compact();
    orders.remap(remap);
    ranks.remap(remap);
    expect(columns.deadCount).toBe(0);
    check();
    add(10);
    check();
  });
});
