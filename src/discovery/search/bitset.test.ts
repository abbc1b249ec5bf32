import { describe, expect, test } from 'vitest';
import { seededRandom } from '../../random/index.js';
import { Bitset, popcount, wordsFor } from './bitset.js';

/** Values 0 to `capacity` − 1 drawn with probability `density`, as a bitset and a reference Set. */
function randomSet(seed: number, capacity: number, density: number): [Bitset, Set<number>] {
  const random = seededRandom(seed);
  const bitset = new Bitset(capacity);
  const values = new Set<number>();
  for (let value = 0; value < capacity; value++) {
    if (random.next() < density) {
      bitset.add(value);
      values.add(value);
    }
  }
  return [bitset, values];
}

function valuesOf(bitset: Bitset): number[] {
  const into = new Int32Array(bitset.capacity);
  return Array.from(into.subarray(0, bitset.values(into)));
}

describe('popcount and wordsFor', () => {
  test('count bits of edge words', () => {
    expect(popcount(0)).toBe(0);
    expect(popcount(1)).toBe(1);
    expect(popcount(0x80000000)).toBe(1);
    expect(popcount(0x80000000 | 0)).toBe(1);
    expect(popcount(0xffffffff)).toBe(32);
    expect(popcount(-1)).toBe(32);
    expect(popcount(0x55555555)).toBe(16);
    expect(wordsFor(0)).toBe(0);
    expect(wordsFor(1)).toBe(1);
    expect(wordsFor(32)).toBe(1);
    expect(wordsFor(33)).toBe(2);
  });
});

describe('Bitset', () => {
  test('add, has, delete at word boundaries', () => {
    const bitset = new Bitset(97);
    expect(bitset.capacity).toBe(128);
    const edges = [0, 1, 30, 31, 32, 33, 63, 64, 95, 96];
    for (const value of edges) bitset.add(value);
    for (const value of edges) expect(bitset.has(value)).toBe(true);
    expect(bitset.has(2)).toBe(false);
    expect(bitset.has(65)).toBe(false);
    expect(bitset.count()).toBe(edges.length);
    expect(valuesOf(bitset)).toEqual(edges);
    bitset.delete(31);
    bitset.delete(32);
    bitset.delete(31);
    expect(bitset.has(31)).toBe(false);
    expect(bitset.has(30)).toBe(true);
    expect(bitset.has(33)).toBe(true);
    expect(valuesOf(bitset)).toEqual([0, 1, 30, 33, 63, 64, 95, 96]);
    bitset.clear();
    expect(bitset.count()).toBe(0);
    expect(valuesOf(bitset)).toEqual([]);
  });

  test('grow keeps the bits; copy takes the other capacity and clears the rest', () => {
    const bitset = new Bitset(40);
    bitset.add(39);
    bitset.grow(200);
    expect(bitset.capacity).toBe(224);
    bitset.add(199);
    expect(valuesOf(bitset)).toEqual([39, 199]);
    bitset.grow(10);
    expect(bitset.capacity).toBe(224);
    const small = new Bitset(64);
    small.add(63);
    bitset.copy(small);
    expect(valuesOf(bitset)).toEqual([63]);
    const empty = new Bitset();
    empty.copy(bitset);
    expect(empty.capacity).toBe(224);
    expect(valuesOf(empty)).toEqual([63]);
  });

  test('and, or, andNot, countAnd and nonZeroWords match Set operations', () => {
    for (const [seed, density] of [
      [1, 0.5],
      [2, 0.02],
      [3, 0.97],
    ] as const) {
      const [left, leftValues] = randomSet(seed, 1000, density);
      const [right, rightValues] = randomSet(seed + 100, 700, 0.5);
      const both = [...leftValues].filter((value) => rightValues.has(value));
      const either = [...new Set([...leftValues, ...rightValues])];
      const leftOnly = [...leftValues].filter((value) => !rightValues.has(value));
      const nonZero = new Int32Array(left.words.length);
      const nonZeroCount = left.nonZeroWords(nonZero);
      expect(Array.from(nonZero.subarray(0, nonZeroCount))).toEqual(
        [...Array(left.words.length).keys()].filter((word) => left.words[word] !== 0),
      );
      expect(left.countAnd(right, nonZero, nonZeroCount)).toBe(both.length);
      expect(left.count()).toBe(leftValues.size);

      const and = new Bitset();
      and.copy(left);
      and.and(right);
      expect(valuesOf(and)).toEqual(both.sort((a, b) => a - b));
      const or = new Bitset();
      or.copy(left);
      or.or(right);
      expect(valuesOf(or)).toEqual(either.sort((a, b) => a - b));
      const andNot = new Bitset();
      andNot.copy(left);
      andNot.andNot(right);
      expect(valuesOf(andNot)).toEqual(leftOnly.sort((a, b) => a - b));
    }
  });
});
