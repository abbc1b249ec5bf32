import jStat from 'jstat';
import { describe, expect, test } from 'vitest';
import { sampleStandardNormal } from '../random/sampling.js';
import { seededRandom } from '../random/seeded-random.js';
import { strategyConformance } from '../testing/strategy-conformance.js';
import type { ScalarStatistics } from './scalar-statistics.js';
import type { ScalarStrategyArm } from './spec.js';
import { DEFAULTS, type ThompsonSamplingOptions, thompsonSampling } from './thompson-sampling.js';

strategyConformance(
  { test },
  {
    name: 'thompsonSampling (bernoulli)',
    create: (options) => thompsonSampling(options as ThompsonSamplingOptions),
    invalidOptions: [
      { likelihood: 'poisson' },
      { likelihood: 3 },
      { priorSuccesses: 0 },
      { priorSuccesses: Number.NaN },
      { priorFailures: -1 },
      { priorFailures: Number.POSITIVE_INFINITY },
    ],
  },
);

strategyConformance(
  { test },
  {
    name: 'thompsonSampling (gaussian)',
    create: (options) =>
      thompsonSampling({ likelihood: 'gaussian', ...(options as ThompsonSamplingOptions) }),
    invalidOptions: [
      { priorCount: 0 },
      { priorShape: Number.NaN },
      { priorRate: -1 },
      { priorMean: Number.NaN },
    ],
  },
);

function arm(statistics: ScalarStatistics, utilityOffset = 0, id = 'arm'): ScalarStrategyArm {
  return { id, statistics, utilityOffset };
}

describe('thompsonSampling', () => {
  test('has frozen defaults and resolves options over them', () => {
    expect(Object.isFrozen(DEFAULTS)).toBe(true);
    expect(DEFAULTS).toEqual({
      likelihood: 'bernoulli',
      priorSuccesses: 1,
      priorFailures: 1,
      priorMean: 0,
      priorCount: 0.01,
      priorShape: 1,
      priorRate: 1,
    });
    const strategy = thompsonSampling({ priorSuccesses: 2 });
    expect(strategy.options).toEqual({ ...DEFAULTS, priorSuccesses: 2 });
    expect(Object.isFrozen(strategy.options)).toBe(true);
    expect(strategy.name).toBe('thompson-sampling');
    expect(strategy.rewardDomain).toBe('unit-interval');
    expect(thompsonSampling({ likelihood: 'gaussian' }).rewardDomain).toBe('real');
  });

  describe('bernoulli', () => {
    test('draws follow Beta(priorSuccesses + Σr, priorFailures + n − Σr)', () => {
      // Arm 0 has Beta(3, 5) (2 successes in 6 plays, uniform prior). Arm 1 is certain to be ~0,
      // so with utility offset t it wins exactly when arm 0's draw is below t.
      const strategy = thompsonSampling();
      const random = seededRandom('beta draws');
      const draws = 20_000;
      for (const threshold of [0.2, 0.375, 0.6]) {
        const arms = [
          arm({ count: 6, sum: 2, sumOfSquares: 2 }),
          arm({ count: 1e12, sum: 0, sumOfSquares: 0 }, threshold),
        ];
        let first = 0;
        for (let draw = 0; draw < draws; draw++)
          if (strategy.choose(arms, { random, totalCount: 1e12 }) === 0) first++;
        const expected = 1 - jStat.beta.cdf(threshold, 3, 5); // 0.852, 0.475, 0.096
        expect(Math.abs(first / draws - expected)).toBeLessThan(0.015);
      }
    });

    test('the mean of the draws is alpha / (alpha + beta), with fractional rewards as fractional successes', () => {
      // count 4, sum 2.5 with prior (2, 1): Beta(4.5, 2.5), mean 4.5 / 7. The draws' mean is read off
      // as the integral of P(draw > t) over t, each probability estimated through the utility offset.
      const strategy = thompsonSampling({ priorSuccesses: 2 });
      const random = seededRandom('beta mean');
      const statistics = { count: 4, sum: 2.5, sumOfSquares: 2 };
      let integral = 0;
      const steps = 50;
      for (let step = 0; step < steps; step++) {
        const threshold = (step + 0.5) / steps;
        const arms = [arm(statistics), arm({ count: 1e12, sum: 0, sumOfSquares: 0 }, threshold)];
        let above = 0;
        for (let draw = 0; draw < 2000; draw++)
          if (strategy.choose(arms, { random, totalCount: 1e12 }) === 0) above++;
        integral += above / 2000 / steps;
      }
      expect(integral).toBeCloseTo(4.5 / 7, 2);
    });

    test('estimate is the Beta posterior mean with the equal-tailed credible interval', () => {
      const estimate = thompsonSampling().estimate({ count: 20, sum: 7, sumOfSquares: 7 }, 0.95);
      // Beta(8, 14): mean 8 / 22; quantiles 0.025 and 0.975 computed with scipy.stats.beta.ppf.
      expect(estimate.mean).toBeCloseTo(0.363636363636, 10);
      expect(estimate.lower).toBeCloseTo(0.18107162554, 8);
      expect(estimate.upper).toBeCloseTo(0.569675482904, 8);
      const prior = thompsonSampling().estimate({ count: 0, sum: 0, sumOfSquares: 0 }, 0.9);
      expect(prior.mean).toBe(0.5);
      expect(prior.lower).toBeCloseTo(0.05, 10);
      expect(prior.upper).toBeCloseTo(0.95, 10);
    });

    test('clamps sums outside [0, count] instead of producing NaN', () => {
      const strategy = thompsonSampling();
      const random = seededRandom(1);
      const arms = [
        arm({ count: 3, sum: 3.0000001, sumOfSquares: 3 }),
        arm({ count: 3, sum: -1e-9, sumOfSquares: 0 }),
      ];
      for (let draw = 0; draw < 100; draw++)
        expect([0, 1]).toContain(strategy.choose(arms, { random, totalCount: 6 }));
      const estimate = strategy.estimate({ count: 3, sum: 3.0000001, sumOfSquares: 3 }, 0.95);
      expect(estimate.mean).toBeCloseTo(4 / 5, 6);
      expect(estimate.upper).toBeLessThanOrEqual(1);
    });
  });

  describe('gaussian', () => {
    test('estimate is the Student-t posterior of the Normal-Gamma model', () => {
      // Observations 1, 2, 3, 4 with the default prior (μ₀ 0, κ₀ 0.01, α₀ 1, β₀ 1): κ₄ = 4.01,
      // μ₄ = 10 / 4.01, α₄ = 3, β₄ = 1 + 5/2 + 0.01·4·2.5² / (2·4.01), scale √(β₄ / (α₄κ₄)), 6 degrees of freedom.
      const estimate = thompsonSampling({ likelihood: 'gaussian' }).estimate(
        { count: 4, sum: 10, sumOfSquares: 30 },
        0.95,
      );
      expect(estimate.mean).toBeCloseTo(2.493765586035, 9);
      expect(estimate.lower).toBeCloseTo(1.168066517691, 6);
      expect(estimate.upper).toBeCloseTo(3.819464654379, 6);
    });

    test('plays arms that were never played first, at random among them', () => {
      const strategy = thompsonSampling({ likelihood: 'gaussian' });
      const played = { count: 100, sum: 500, sumOfSquares: 2600 };
      const empty = { count: 0, sum: 0, sumOfSquares: 0 };
      const arms = [arm(played), arm(empty), arm(played), arm(empty)];
      const chosen = new Set<number>();
      for (let seed = 0; seed < 50; seed++)
        chosen.add(strategy.choose(arms, { random: seededRandom(seed), totalCount: 200 }));
      expect([...chosen].sort()).toEqual([1, 3]);
    });

    test('learns the best arm when rewards are far from unit scale', () => {
      // Latency-like rewards: means 1000 and 1008, standard deviation 10.
      const strategy = thompsonSampling({ likelihood: 'gaussian' });
      const random = seededRandom('strategy');
      const world = seededRandom('world');
      const means = [1000, 1008];
      const statistics = means.map(() => ({ count: 0, sum: 0, sumOfSquares: 0 }));
      const arms = statistics.map((armStatistics) => arm(armStatistics));
      let best = 0;
      for (let step = 0; step < 3000; step++) {
        const chosen = strategy.choose(arms, { random, totalCount: step });
        const reward = means[chosen]! + 10 * sampleStandardNormal(world);
        const armStatistics = statistics[chosen]!;
        armStatistics.count += 1;
        armStatistics.sum += reward;
        armStatistics.sumOfSquares += reward * reward;
        if (step >= 2500 && chosen === 1) best++;
      }
      expect(best).toBeGreaterThanOrEqual(450);
    });
  });
});
