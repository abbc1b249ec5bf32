import { describe, expect, test } from 'vitest';
import { seededRandom } from '../random/seeded-random.js';
import { strategyConformance } from '../testing/strategy-conformance.js';
import { bernoulliDivergence, bernoulliUpperConfidenceBound } from './bernoulli-divergence.js';
import { DEFAULTS, type KlUcbOptions, klUcb } from './kl-ucb.js';
import type { ScalarStrategyArm } from './spec.js';

strategyConformance(
  { test },
  {
    name: 'klUcb',
    create: (options) => klUcb(options as KlUcbOptions),
    invalidOptions: [
      { explorationConstant: -0.5 },
      { explorationConstant: Number.NaN },
      { explorationConstant: null },
      { c: 3 },
    ],
  },
);

function arm(count: number, sum: number, utilityOffset = 0): ScalarStrategyArm {
  return { id: `arm-${count}-${sum}`, statistics: { count, sum, sumOfSquares: sum }, utilityOffset };
}

/** The largest q on a grid of step 1e-6 with count · KL(mean, q) ≤ threshold, by brute force. */
function gridBound(mean: number, count: number, threshold: number): number {
  let best = mean;
  for (let step = Math.ceil(mean * 1e6); step <= 1e6; step++) {
    const q = step / 1e6;
    if (count * bernoulliDivergence(mean, q) <= threshold) best = q;
    else break;
  }
  return best;
}

describe('bernoulliDivergence', () => {
  test('matches hand-computed values and its conventions at 0 and 1', () => {
    // 0.4 ln(0.4/0.5) + 0.6 ln(0.6/0.5)
    expect(bernoulliDivergence(0.4, 0.5)).toBeCloseTo(0.0201355135507, 12);
    expect(bernoulliDivergence(0.48, 0.5)).toBeCloseTo(0.00080021347, 12);
    expect(bernoulliDivergence(0.3, 0.3)).toBe(0);
    expect(bernoulliDivergence(0, 0.5)).toBeCloseTo(Math.log(2), 12);
    expect(bernoulliDivergence(1, 0.25)).toBeCloseTo(Math.log(4), 12);
    expect(bernoulliDivergence(0.5, 1)).toBe(Number.POSITIVE_INFINITY);
  });
});

describe('bernoulliUpperConfidenceBound', () => {
  test('agrees with a brute-force grid', () => {
    for (const mean of [0, 0.05, 0.3, 0.5, 0.77, 0.95, 0.999]) {
      for (const count of [1, 3, 10, 100, 10_000]) {
        for (const threshold of [0.5, Math.log(100), Math.log(1e6)]) {
          const bound = bernoulliUpperConfidenceBound(mean, threshold / count);
          expect(Math.abs(bound - gridBound(mean, count, threshold))).toBeLessThan(1.01e-6);
          expect(count * bernoulliDivergence(mean, Math.max(mean, bound - 1e-9))).toBeLessThanOrEqual(
            threshold + 1e-9,
          );
        }
      }
    }
  });

  test('handles the edges exactly', () => {
    expect(bernoulliUpperConfidenceBound(1, 0.3)).toBe(1);
    expect(bernoulliUpperConfidenceBound(0.4, 0)).toBe(0.4);
    expect(bernoulliUpperConfidenceBound(0, 0.3)).toBeCloseTo(1 - Math.exp(-0.3), 14);
    expect(bernoulliUpperConfidenceBound(0.9, 50)).toBeCloseTo(1, 9);
    expect(bernoulliUpperConfidenceBound(0.5, 1e-14)).toBeCloseTo(0.5 + Math.sqrt(2 * 0.25 * 1e-14), 10);
  });
});

describe('klUcb', () => {
  test('defaults to c = 0 and freezes its options', () => {
    expect(DEFAULTS).toEqual({ explorationConstant: 0 });
    expect(Object.isFrozen(DEFAULTS)).toBe(true);
    expect(klUcb({ explorationConstant: 3 }).options).toEqual({ explorationConstant: 3 });
  });

  test('plays the arm with the largest KL upper confidence bound', () => {
    // t = 110: arm A (6 of 10) and arm B (70 of 100), indices found by brute force.
    const threshold = Math.log(110);
    const gap = gridBound(0.6, 10, threshold) - gridBound(0.7, 100, threshold);
    const strategy = klUcb();
    const random = seededRandom(1);
    expect(gap).toBeGreaterThan(0.05);
    expect(strategy.choose([arm(10, 6), arm(100, 70, gap - 2e-5)], { random, totalCount: 110 })).toBe(0);
    expect(strategy.choose([arm(10, 6), arm(100, 70, gap + 2e-5)], { random, totalCount: 110 })).toBe(1);
  });

  test('adds c · ln ln t to the threshold', () => {
    // t = 100, c = 3: threshold ln 100 + 3 ln ln 100.
    const threshold = Math.log(100) + 3 * Math.log(Math.log(100));
    const gap = gridBound(0.6, 10, threshold) - gridBound(0.7, 80, threshold);
    const strategy = klUcb({ explorationConstant: 3 });
    const random = seededRandom(1);
    expect(strategy.choose([arm(10, 6), arm(80, 56, gap - 2e-5)], { random, totalCount: 100 })).toBe(0);
    expect(strategy.choose([arm(10, 6), arm(80, 56, gap + 2e-5)], { random, totalCount: 100 })).toBe(1);
  });

  test('plays arms that were never played first, at random among them', () => {
    const strategy = klUcb();
    const arms = [arm(100, 90), arm(0, 0), arm(5, 0), arm(0, 0)];
    const chosen = new Set<number>();
    for (let seed = 0; seed < 50; seed++)
      chosen.add(strategy.choose(arms, { random: seededRandom(seed), totalCount: 105 }));
    expect([...chosen].sort()).toEqual([1, 3]);
  });

  test('estimate is the empirical mean with the Wilson score interval', () => {
    const estimate = klUcb().estimate({ count: 10, sum: 6, sumOfSquares: 6 }, 0.95);
    expect(estimate.lower).toBeCloseTo(0.31267377, 7);
    expect(estimate.upper).toBeCloseTo(0.83181967, 7);
  });
});
