import jStat from 'jstat';
import { describe, expect, test } from 'vitest';
import { InvalidArgumentError } from '../errors/invalid-argument-error.js';
import { sampleBeta, sampleGamma, sampleIndex, sampleStandardNormal, sampleStudentT } from './sampling.js';
import { seededRandom } from './seeded-random.js';

function moments(draw: () => number, count: number): { mean: number; variance: number } {
  let sum = 0;
  let sumOfSquares = 0;
  for (let index = 0; index < count; index++) {
    const value = draw();
    sum += value;
    sumOfSquares += value * value;
  }
  const mean = sum / count;
  return { mean, variance: sumOfSquares / count - mean * mean };
}

describe('seededRandom', () => {
  test('the same seed gives the same sequence; other seeds differ; strings work', () => {
    const first = seededRandom(42);
    const second = seededRandom(42);
    const sequence = Array.from({ length: 100 }, () => first.next());
    expect(Array.from({ length: 100 }, () => second.next())).toEqual(sequence);
    const other = seededRandom(43);
    expect(Array.from({ length: 100 }, () => other.next())).not.toEqual(sequence);
    const named = seededRandom('experiment-1');
    expect(named.next()).toBe(seededRandom('experiment-1').next());
    expect(seededRandom('experiment-1').next()).not.toBe(seededRandom('experiment-2').next());
    expect(sequence.every((value) => value >= 0 && value < 1)).toBe(true);
    expect(seededRandom(1.5).next()).not.toBe(seededRandom(1).next());
  });

  test('uniform moments and bins', () => {
    const random = seededRandom(7);
    const bins = new Array(10).fill(0);
    const { mean, variance } = moments(() => {
      const value = random.next();
      bins[Math.floor(value * 10)]++;
      return value;
    }, 200_000);
    expect(mean).toBeCloseTo(0.5, 2);
    expect(variance).toBeCloseTo(1 / 12, 3);
    for (const count of bins) expect(Math.abs(count - 20_000)).toBeLessThan(600);
  });

  test('rejects seeds that are not finite numbers or strings', () => {
    for (const seed of [Number.NaN, Number.POSITIVE_INFINITY, {}]) {
      let caught: unknown;
      try {
        seededRandom(seed as never);
      } catch (error) {
        caught = error;
      }
      expect(InvalidArgumentError.isInstance(caught), String(seed)).toBe(true);
    }
  });
});

describe('samplers', () => {
  test('normal, gamma, beta and Student-t have the right moments', () => {
    const random = seededRandom(11);
    const normal = moments(() => sampleStandardNormal(random), 200_000);
    expect(normal.mean).toBeCloseTo(0, 2);
    expect(normal.variance).toBeCloseTo(1, 1);
    for (const shape of [0.3, 1, 2.5, 40]) {
      const gamma = moments(() => sampleGamma(random, shape), 100_000);
      expect(gamma.mean / shape).toBeCloseTo(1, 1);
      expect(gamma.variance / shape).toBeCloseTo(1, 1);
    }
    for (const [alpha, beta] of [
      [1, 1],
      [2, 8],
      [30, 70],
      [0.5, 0.5],
    ] as const) {
      const draws = moments(() => sampleBeta(random, alpha, beta), 100_000);
      const mean = alpha / (alpha + beta);
      const variance = (alpha * beta) / ((alpha + beta) ** 2 * (alpha + beta + 1));
      expect(draws.mean).toBeCloseTo(mean, 2);
      expect(draws.variance / variance).toBeCloseTo(1, 1);
    }
    const t = moments(() => sampleStudentT(random, 10), 200_000);
    expect(t.mean).toBeCloseTo(0, 1);
    expect(t.variance).toBeCloseTo(10 / 8, 1);
  });

  test('Beta draws follow the Beta distribution (Kolmogorov–Smirnov distance against jstat)', () => {
    const random = seededRandom(13);
    for (const [alpha, beta] of [
      [1.2, 1.7],
      [3, 9],
      [250, 120],
      [0.6, 2.5],
    ] as const) {
      const draws = Float64Array.from({ length: 50_000 }, () => sampleBeta(random, alpha, beta)).sort();
      let distance = 0;
      for (let index = 0; index < draws.length; index += 50) {
        const expected = jStat.beta.cdf(draws[index]!, alpha, beta);
        distance = Math.max(distance, Math.abs(expected - index / draws.length));
      }
      // The 99.9 % critical value of the KS statistic for n = 50,000 is about 0.0087.
      expect(distance, `Beta(${alpha}, ${beta})`).toBeLessThan(0.0087);
    }
  });

  test('a source without standardNormal() gets normals from its uniforms', () => {
    const seeded = seededRandom(5);
    const plain = { next: () => seeded.next() };
    const draws = moments(() => sampleStandardNormal(plain), 100_000);
    expect(draws.mean).toBeCloseTo(0, 1);
    expect(draws.variance).toBeCloseTo(1, 1);
  });

  test('sampleIndex covers its range uniformly', () => {
    const random = seededRandom(3);
    const counts = [0, 0, 0];
    for (let index = 0; index < 30_000; index++) counts[sampleIndex(random, 3)]!++;
    for (const count of counts) expect(Math.abs(count - 10_000)).toBeLessThan(400);
  });
});
