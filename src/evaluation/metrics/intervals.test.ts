import { describe, expect, test } from 'vitest';
import { seededRandom } from '../../random/index.js';
import {
  bootstrapInterval,
  bootstrapMeanInterval,
  fisherInterval,
  weightedMean,
  wilsonInterval,
} from './intervals.js';

describe('wilsonInterval', () => {
  test('8/10 at 95%: [0.490, 0.943]', () => {
    // z = 1.959964, z² = 3.841459, n = 10, p̂ = 0.8
    // denominator = 1 + 3.841459/10 = 1.3841459
    // center = (0.8 + 3.841459/20) / 1.3841459 = 0.99207295 / 1.3841459 = 0.716738
    // half = (1.959964 / 1.3841459)·√(0.8·0.2/10 + 3.841459/400) = 1.416009·√0.02560365 = 0.226577
    const { lower, upper } = wilsonInterval(8, 10, 0.95);
    expect(lower).toBeCloseTo(0.716738 - 0.226577, 5);
    expect(upper).toBeCloseTo(0.716738 + 0.226577, 5);
    expect(lower).toBeCloseTo(0.49, 3);
    expect(upper).toBeCloseTo(0.943, 3);
  });

  test('0/10: the lower bound is 0 and the upper z²/n / (1 + z²/n)', () => {
    // upper = 0.3841459 / 1.3841459 = 0.277533
    const { lower, upper } = wilsonInterval(0, 10, 0.95);
    expect(lower).toBeCloseTo(0, 12);
    expect(upper).toBeCloseTo(0.277533, 5);
  });

  test('10/10 mirrors 0/10', () => {
    const { lower, upper } = wilsonInterval(10, 10, 0.95);
    expect(lower).toBeCloseTo(1 - 0.277533, 5);
    expect(upper).toBe(1);
  });

  test('no trials: the whole range', () => {
    expect(wilsonInterval(0, 0, 0.95)).toEqual({ lower: 0, upper: 1 });
  });

  test('a higher level widens it', () => {
    const narrow = wilsonInterval(8, 10, 0.8);
    const wide = wilsonInterval(8, 10, 0.99);
    expect(wide.lower).toBeLessThan(narrow.lower);
    expect(wide.upper).toBeGreaterThan(narrow.upper);
  });
});

describe('fisherInterval', () => {
  test('r = 0.5 over 28 pairs (σ = 1/√25 = 0.2)', () => {
    // atanh(0.5) = 0.549306; 1.959964·0.2 = 0.391993
    // tanh(0.157313) = 0.156028, tanh(0.941299) = 0.735818
    const { lower, upper } = fisherInterval(0.5, 28, 0.95);
    expect(lower).toBeCloseTo(0.156028, 5);
    expect(upper).toBeCloseTo(0.735818, 5);
  });

  test('Spearman variance factor 1.06: ρ = 0.8 over 5 pairs', () => {
    // σ = √(1.06/2) = 0.728011; 1.959964·σ = 1.426876; atanh(0.8) = 1.098612
    // tanh(−0.328264) = −0.316959, tanh(2.525488) = 0.987275
    const { lower, upper } = fisherInterval(0.8, 5, 0.95, 1.06);
    expect(lower).toBeCloseTo(-0.316959, 5);
    expect(upper).toBeCloseTo(0.987275, 5);
  });

  test('three pairs or fewer: the whole range; a perfect correlation stays at 1', () => {
    expect(fisherInterval(1, 3, 0.95)).toEqual({ lower: -1, upper: 1 });
    expect(fisherInterval(1, 10, 0.95)).toEqual({ lower: 1, upper: 1 });
  });
});

describe('bootstrapInterval', () => {
  const values = [0, 1, 1, 0, 1, 1, 1, 0, 1, 1, 0.5, 0.25];
  const run = (seed: number) =>
    bootstrapMeanInterval(values, { random: seededRandom(seed), resamples: 500, level: 0.95 });

  test('reproducible with the same seed, different with another', () => {
    expect(run(7)).toEqual(run(7));
    expect(run(7)).not.toEqual(run(8));
  });

  test('contains the point estimate and stays in the range', () => {
    const estimate = values.reduce((sum, value) => sum + value, 0) / values.length;
    for (const seed of [1, 2, 3]) {
      const { lower, upper } = run(seed);
      expect(lower).toBeLessThanOrEqual(estimate);
      expect(upper).toBeGreaterThanOrEqual(estimate);
      expect(lower).toBeGreaterThanOrEqual(0);
      expect(upper).toBeLessThanOrEqual(1);
    }
  });

  test('a constant metric has a zero-width interval', () => {
    const { lower, upper } = bootstrapMeanInterval([0.4, 0.4, 0.4], {
      random: seededRandom(1),
      resamples: 100,
      level: 0.95,
    });
    expect(lower).toBeCloseTo(0.4, 12);
    expect(upper).toBeCloseTo(0.4, 12);
  });

  test('is widened to contain an estimate outside the percentiles, then clipped', () => {
    const interval = bootstrapInterval({
      size: 4,
      statistic: () => 0.5,
      estimate: 0.9,
      random: seededRandom(1),
      resamples: 10,
      level: 0.95,
      minimum: 0,
      maximum: 0.8,
    });
    expect(interval).toEqual({ lower: 0.5, upper: 0.8 });
  });

  test('weights are draw counts that sum to the size', () => {
    const seen: number[] = [];
    bootstrapInterval({
      size: 5,
      statistic: (weights) => {
        seen.push(weights.reduce((sum, weight) => sum + weight, 0));
        return 0;
      },
      estimate: 0,
      random: seededRandom(3),
      resamples: 20,
      level: 0.9,
      minimum: 0,
      maximum: 1,
    });
    expect(seen).toEqual(new Array(20).fill(5));
    // weightedMean: (2·1 + 0·2 + 1·3) / 3 = 5/3
    expect(weightedMean([1, 2, 3], Uint32Array.from([2, 0, 1]))).toBeCloseTo(5 / 3, 12);
  });
});
