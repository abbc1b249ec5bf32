import { describe, expect, test } from 'vitest';
import { InvalidArgumentError } from '../errors/invalid-argument-error.js';
import type { RandomSource } from '../random/random-source.js';
import { sampleStandardNormal } from '../random/sampling.js';
import { seededRandom } from '../random/seeded-random.js';
import { strategyConformance } from '../testing/strategy-conformance.js';
import { DEFAULTS, type LinUcbOptions, linUcb } from './lin-ucb.js';
import { emptyLinearStatistics, type LinearStatistics } from './linear-statistics.js';
import type { LinearStrategyArm } from './spec.js';

strategyConformance(
  { test },
  {
    name: 'linUcb',
    create: (options) => linUcb(options as LinUcbOptions),
    invalidOptions: [{ alpha: -1 }, { alpha: '1' }, { ridge: 0 }, { ridge: Number.NaN }, { ridge: -2 }],
  },
);

interface MutableLinearStatistics {
  dimension: number;
  count: number;
  gramMatrix: Float64Array;
  featureRewardSums: Float64Array;
  sum: number;
  sumOfSquares: number;
}

function mutableStatistics(dimension: number): MutableLinearStatistics {
  return { ...emptyLinearStatistics(dimension) } as MutableLinearStatistics;
}

function observe(statistics: MutableLinearStatistics, features: readonly number[], reward: number): void {
  const dimension = statistics.dimension;
  statistics.count += 1;
  statistics.sum += reward;
  statistics.sumOfSquares += reward * reward;
  for (let row = 0; row < dimension; row++) {
    statistics.featureRewardSums[row]! += features[row]! * reward;
    for (let column = 0; column < dimension; column++) {
      statistics.gramMatrix[row * dimension + column]! += features[row]! * features[column]!;
    }
  }
}

function scalarStatistics(rewards: readonly number[]): LinearStatistics {
  const statistics = mutableStatistics(1);
  for (const reward of rewards) observe(statistics, [1], reward);
  return statistics;
}

function arm(statistics: LinearStatistics, utilityOffset = 0, id = 'arm'): LinearStrategyArm {
  return { id, statistics, utilityOffset };
}

function randomFeatures(random: RandomSource): number[] {
  return [1, 2 * random.next() - 1, 2 * random.next() - 1];
}

const coefficients = [
  [0.5, 0.3, -0.2],
  [0.4, -0.3, 0.2],
];

function trueReward(armIndex: number, features: readonly number[]): number {
  return coefficients[armIndex]!.reduce(
    (total, coefficient, index) => total + coefficient * features[index]!,
    0,
  );
}

describe('linUcb', () => {
  test('has frozen defaults alpha 1 and ridge 1', () => {
    expect(DEFAULTS).toEqual({ alpha: 1, ridge: 1 });
    expect(Object.isFrozen(DEFAULTS)).toBe(true);
    expect(linUcb({ ridge: 0.5 }).options).toEqual({ alpha: 1, ridge: 0.5 });
  });

  test('the index is θᵀx + alpha · √(xᵀA⁻¹x)', () => {
    // One feature (the constant): rewards 0, 1, 1, 1 give A = 1 + 4 = 5, θ = 3/5, index
    // 0.6 + √(1/5) = 1.047214. Rewards 1, 1 give A = 3, θ = 2/3, index 0.666667 + √(1/3) = 1.244017.
    const strategy = linUcb();
    const random = seededRandom(1);
    const first = scalarStatistics([0, 1, 1, 1]);
    const second = scalarStatistics([1, 1]);
    const context = { random, totalCount: 6, features: [1] };
    // The gap 0.196803 is measured with the first arm's utility offset.
    expect(strategy.choose([arm(first, 0.1967), arm(second)], context)).toBe(1);
    expect(strategy.choose([arm(first, 0.1969), arm(second)], context)).toBe(0);
    // alpha 2 doubles the bonus: 0.6 + 2√(1/5) = 1.494427 vs 0.666667 + 2√(1/3) = 1.821367.
    const wider = linUcb({ alpha: 2 });
    expect(wider.choose([arm(first, 0.3268), arm(second)], context)).toBe(1);
    expect(wider.choose([arm(first, 0.327), arm(second)], context)).toBe(0);
  });

  test('recovers θ on a noiseless linear world', () => {
    const strategy = linUcb({ ridge: 1e-6 });
    const random = seededRandom('features');
    const statistics = mutableStatistics(3);
    for (let step = 0; step < 200; step++) {
      const features = randomFeatures(random);
      observe(statistics, features, trueReward(0, features));
    }
    for (const features of [
      [1, 0, 0],
      [1, 0.9, -0.4],
      [1, -1, 1],
    ]) {
      const estimate = strategy.estimate(statistics, features, 0.95);
      expect(estimate.mean).toBeCloseTo(trueReward(0, features), 6);
      expect(estimate.upper - estimate.lower).toBeLessThan(1e-5);
    }
  });

  test('learns online which arm is best in each region of the feature space', () => {
    // Arm 0 is better where 0.1 + 0.6·x₁ − 0.4·x₂ > 0, arm 1 elsewhere; rewards have noise 0.1.
    const strategy = linUcb();
    const random = seededRandom('strategy');
    const world = seededRandom('world');
    const statistics = [mutableStatistics(3), mutableStatistics(3)];
    const arms = statistics.map((armStatistics, index) => arm(armStatistics, 0, `arm-${index}`));
    let decided = 0;
    let correct = 0;
    for (let step = 0; step < 3000; step++) {
      const features = randomFeatures(world);
      const chosen = strategy.choose(arms, { random, totalCount: step, features });
      observe(
        statistics[chosen]!,
        features,
        trueReward(chosen, features) + 0.1 * sampleStandardNormal(world),
      );
      const advantage = trueReward(0, features) - trueReward(1, features);
      if (step >= 2500 && Math.abs(advantage) > 0.1) {
        decided++;
        if ((advantage > 0 ? 0 : 1) === chosen) correct++;
      }
    }
    expect(decided).toBeGreaterThan(300);
    expect(correct / decided).toBeGreaterThanOrEqual(0.95);
  });

  test('estimate uses the residual standard deviation, or 1 with too few observations', () => {
    // Rewards 1, 2, 3 on the constant feature: A = 4, θ = 1.5, xᵀA⁻¹x = 1/4,
    // RSS = 14 − 2·1.5·6 + 1.5²·3 = 2.75, σ̂ = √(2.75 / 2); half width 1.959964 · 0.5 · σ̂ = 1.149131.
    const estimate = linUcb().estimate(scalarStatistics([1, 2, 3]), [1], 0.95);
    expect(estimate.mean).toBeCloseTo(1.5, 12);
    expect(estimate.upper - estimate.mean).toBeCloseTo(1.149130745, 8);
    expect(estimate.mean - estimate.lower).toBeCloseTo(1.149130745, 8);
    // One reward 0.5: A = 2, θ = 0.25, n − d = 0 so σ̂ = 1; half width 1.959964 · √(1/2) = 1.385904.
    const single = linUcb().estimate(scalarStatistics([0.5]), [1], 0.95);
    expect(single.mean).toBeCloseTo(0.25, 12);
    expect(single.upper - single.mean).toBeCloseTo(1.385903824, 8);
  });

  test('plays arms that were never played first, at random among them', () => {
    const strategy = linUcb();
    const played = scalarStatistics([1, 1, 1, 1, 1, 1]);
    const arms = [arm(played), arm(emptyLinearStatistics(1)), arm(played), arm(emptyLinearStatistics(1))];
    const chosen = new Set<number>();
    for (let seed = 0; seed < 50; seed++) {
      chosen.add(strategy.choose(arms, { random: seededRandom(seed), totalCount: 12, features: [1] }));
    }
    expect([...chosen].sort()).toEqual([1, 3]);
  });

  test('survives a Gram matrix damaged by rounding', () => {
    const strategy = linUcb({ ridge: 1e-9 });
    const damaged: LinearStatistics = {
      dimension: 2,
      count: 5,
      gramMatrix: new Float64Array([1, 5, 5, 1]),
      featureRewardSums: new Float64Array([1, 2]),
      sum: 1,
      sumOfSquares: 1,
    };
    const estimate = strategy.estimate(damaged, [1, 0.5], 0.9);
    for (const value of Object.values(estimate)) expect(Number.isFinite(value)).toBe(true);
    const chosen = strategy.choose([arm(damaged), arm(damaged)], {
      random: seededRandom(1),
      totalCount: 10,
      features: [1, 0.5],
    });
    expect([0, 1]).toContain(chosen);
  });

  test('rejects features that do not match the statistics', () => {
    const strategy = linUcb();
    const arms = [arm(scalarStatistics([1]), 0, 'a'), arm(emptyLinearStatistics(2), 0, 'b')];
    const tooShort = () => strategy.choose(arms, { random: seededRandom(1), totalCount: 1, features: [1] });
    expect(tooShort).toThrow(/arm 'b' has statistics of dimension 2/);
    let caught: unknown;
    try {
      tooShort();
    } catch (error) {
      caught = error;
    }
    expect(InvalidArgumentError.isInstance(caught)).toBe(true);
    expect((caught as InvalidArgumentError).argument).toBe('context.features');
    expect(() => strategy.estimate(emptyLinearStatistics(2), [1], 0.9)).toThrow(/dimension 2/);
    expect(() =>
      strategy.choose([arm(scalarStatistics([1]))], {
        random: seededRandom(1),
        totalCount: 1,
        features: [Number.NaN],
      }),
    ).toThrow(/finite/);
  });
});
