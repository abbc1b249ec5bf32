import { describe, expect, test } from 'vitest';
import { averageRanks, pearsonCorrelation, spearmanCorrelation } from './correlation.js';
import { fisherInterval } from './intervals.js';
import { scoreSimilarity } from './similarity.js';

const pairs = (gold: number[], predicted: unknown[]) =>
  gold.map((label, index) => ({ label, prediction: { output: predicted[index] } }));

describe('correlations', () => {
  test('ties get average ranks', () => {
    expect(averageRanks([10, 20, 20, 30])).toEqual([1, 2.5, 2.5, 4]);
    expect(averageRanks([3, 3, 3])).toEqual([2, 2, 2]);
    expect(averageRanks([0.5, -1, 2])).toEqual([2, 1, 3]);
  });

  test('Spearman without ties: 1 − 6Σd²/(n(n²−1))', () => {
    // predicted ranks [1, 3, 2, 5, 4], d = [0, −1, 1, −1, 1], Σd² = 4 → 1 − 24/120 = 0.8
    expect(spearmanCorrelation([1, 2, 3, 4, 5], [0.1, 0.3, 0.2, 0.5, 0.4])).toBeCloseTo(0.8, 12);
  });

  test('Spearman with ties', () => {
    // gold ranks [1, 2.5, 2.5, 4], predicted ranks [1, 2, 3, 4], both with mean 2.5
    // deviations [−1.5, 0, 0, 1.5] and [−1.5, −0.5, 0.5, 1.5]: covariance 4.5, variances 4.5 and 5
    // ρ = 4.5 / √22.5 = √0.9
    expect(spearmanCorrelation([1, 2, 2, 3], [1, 2, 3, 4])).toBeCloseTo(Math.sqrt(0.9), 12);
  });

  test('a constant series gives 0 by convention', () => {
    expect(pearsonCorrelation([1, 2, 3], [5, 5, 5])).toBe(0);
    expect(spearmanCorrelation([1, 1], [1, 2])).toBe(0);
  });

  test('Pearson by hand', () => {
    // x − x̄ = [−1, 0, 1], y − ȳ = [−2, 1, 1]: covariance 3, variances 2 and 6 → 3/√12
    expect(pearsonCorrelation([1, 2, 3], [0, 3, 3])).toBeCloseTo(3 / Math.sqrt(12), 12);
  });
});

describe('scoreSimilarity', () => {
  test('Spearman headline with the Fisher z interval (variance 1.06/(n − 3))', () => {
    const score = scoreSimilarity(pairs([1, 2, 3, 4, 5], [0.1, 0.3, 0.2, 0.5, 0.4]));
    expect(score.quality.metric).toBe('spearman');
    expect(score.quality.value).toBeCloseTo(0.8, 12);
    // see intervals.test.ts: [−0.316959, 0.987275]
    expect(score.quality.lower).toBeCloseTo(-0.316959, 5);
    expect(score.quality.upper).toBeCloseTo(0.987275, 5);
    expect(score.metrics.pairs).toBe(5);
    expect(score.perExample).toBeUndefined();
  });

  test('a malformed prediction gets the mean predicted rank', () => {
    // valid predictions 1, 2, 4 rank 1, 2, 3; the NaN gets their mean, 2 → ranks [1, 2, 2, 3]
    // gold ranks [1, 2, 3, 4]: deviations [−1.5, −0.5, 0.5, 1.5] and [−1, 0, 0, 1]
    // covariance 3, variances 5 and 2 → ρ = 3/√10
    const score = scoreSimilarity(pairs([1, 2, 3, 4], [1, 2, Number.NaN, 4]));
    expect(score.quality.value).toBeCloseTo(3 / Math.sqrt(10), 12);
    expect(score.metrics['malformed-outputs']).toBe(1);
    // Pearson: the NaN replaced by the mean of 1, 2, 4 = 7/3
    expect(score.metrics.pearson).toBeCloseTo(pearsonCorrelation([1, 2, 3, 4], [1, 2, 7 / 3, 4]), 12);
    const interval = fisherInterval(score.metrics.pearson!, 4, 0.95);
    expect(score.metrics['pearson-lower']).toBeCloseTo(interval.lower, 12);
  });

  test('every prediction malformed: correlation 0, never a crash', () => {
    const score = scoreSimilarity(
      pairs([1, 2, 3, 4, 5], ['a', null, {}, undefined, Number.POSITIVE_INFINITY]),
    );
    expect(score.quality.value).toBe(0);
    expect(score.metrics['malformed-outputs']).toBe(5);
  });

  test('a gold score that is not a finite number is an invalid argument', () => {
    expect(() => scoreSimilarity([{ label: '0.5', prediction: { output: 0.5 } }])).toThrow(/label/);
  });
});
