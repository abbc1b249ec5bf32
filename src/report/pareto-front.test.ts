import { describe, expect, test } from 'vitest';
import { seededRandom } from '../random/seeded-random.js';
import { dominates, type ParetoPoint, paretoFront } from './pareto-front.js';

const point = (id: string, quality: number, latency: number) => ({ id, quality, latency });
const ids = (points: readonly { id: string }[]) => points.map((entry) => entry.id);

describe('dominates', () => {
  test('is at least as good on both and strictly better on one', () => {
    expect(dominates(point('a', 0.9, 10), point('b', 0.8, 20))).toBe(true);
    expect(dominates(point('a', 0.9, 10), point('b', 0.9, 20))).toBe(true);
    expect(dominates(point('a', 0.9, 10), point('b', 0.8, 10))).toBe(true);
    expect(dominates(point('a', 0.9, 20), point('b', 0.8, 10))).toBe(false);
    expect(dominates(point('a', 0.9, 10), point('b', 0.9, 10))).toBe(false);
  });

  test('ignores non-finite coordinates', () => {
    expect(dominates(point('a', 0.9, Number.NaN), point('b', 0.1, 100))).toBe(false);
    expect(dominates(point('a', 0.9, 1), point('b', Number.NaN, 100))).toBe(false);
  });
});

describe('paretoFront', () => {
  test('keeps the non-dominated points, by latency ascending', () => {
    const points = [
      point('slow-best', 0.95, 120),
      point('dominated', 0.8, 90),
      point('fast', 0.85, 10),
      point('middle', 0.9, 40),
      point('slow-worse', 0.9, 200),
    ];
    expect(ids(paretoFront(points))).toEqual(['fast', 'middle', 'slow-best']);
  });

  test('a point with the latency of a better one, or the quality of a faster one, is dominated', () => {
    expect(ids(paretoFront([point('a', 0.8, 10), point('b', 0.9, 10)]))).toEqual(['b']);
    expect(ids(paretoFront([point('a', 0.9, 20), point('b', 0.9, 10)]))).toEqual(['b']);
  });

  test('identical points are all on the front, in input order', () => {
    const points = [point('x', 0.9, 10), point('y', 0.9, 10), point('fast', 0.5, 1)];
    expect(ids(paretoFront(points))).toEqual(['fast', 'x', 'y']);
    expect(ids(paretoFront([point('x', 0.5, 10), point('y', 0.5, 10), point('better', 0.6, 5)]))).toEqual([
      'better',
    ]);
  });

  test('one point, no point, and points with non-finite coordinates', () => {
    expect(ids(paretoFront([point('only', 0.5, 3)]))).toEqual(['only']);
    expect(paretoFront([])).toEqual([]);
    const points = [
      point('nan', Number.NaN, 1),
      point('infinite', 1, Number.POSITIVE_INFINITY),
      point('fine', 0.2, 50),
    ];
    expect(ids(paretoFront(points))).toEqual(['fine']);
  });

  test('keeps the points’ other fields and does not reorder the input', () => {
    const points = [point('b', 0.9, 20), point('a', 0.5, 10)];
    const front = paretoFront(points);
    expect(front[0]).toBe(points[1]);
    expect(ids(points)).toEqual(['b', 'a']);
  });

  test('equals the brute-force definition on random sets with many ties', () => {
    const random = seededRandom('pareto');
    for (let round = 0; round < 300; round++) {
      const count = 1 + Math.floor(random.next() * 25);
      const points: (ParetoPoint & { id: string })[] = Array.from({ length: count }, (_, index) =>
        // A small grid, so that equal latencies, equal qualities and identical points are common.
        point(`m${index}`, Math.floor(random.next() * 6) / 5, 1 + Math.floor(random.next() * 6)),
      );
      const expected = points
        .filter((candidate) => !points.some((other) => dominates(other, candidate)))
        .sort((a, b) => a.latency - b.latency || Number(a.id.slice(1)) - Number(b.id.slice(1)));
      const front = paretoFront(points);
      expect(ids(front)).toEqual(ids(expected));
      for (let index = 1; index < front.length; index++) {
        expect(front[index]!.latency).toBeGreaterThanOrEqual(front[index - 1]!.latency);
        expect(front[index]!.quality).toBeGreaterThanOrEqual(front[index - 1]!.quality);
      }
    }
  });
});
