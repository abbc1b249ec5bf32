import { describe, expect, test } from 'vitest';
import { seededRandom } from '../../random/index.js';
import { selectBest } from './select-best.js';

describe('selectBest', () => {
  test('equals the first `count` of a full sort, for every count, with many ties', () => {
    const random = seededRandom('select-best');
    for (let round = 0; round < 50; round++) {
      const length = Math.floor(random.next() * 60);
      const values = Int32Array.from({ length }, (_, index) => index);
      const scores = Array.from({ length }, () => Math.floor(random.next() * 5));
      // Best: highest score, then lowest value.
      const compare = (left: number, right: number) => scores[right]! - scores[left]! || left - right;
      const sorted = Array.from(values).sort(compare);
      for (const count of [0, 1, 2, 7, length - 1, length, length + 3]) {
        expect(selectBest(values, length, count, compare)).toEqual(sorted.slice(0, Math.max(0, count)));
      }
    }
  });

  test('reads only the first `length` values', () => {
    const values = Int32Array.from([5, 1, 4, 0, 9]);
    expect(selectBest(values, 3, 2, (left, right) => left - right)).toEqual([1, 4]);
    expect(selectBest(values, 0, 2, (left, right) => left - right)).toEqual([]);
  });
});
