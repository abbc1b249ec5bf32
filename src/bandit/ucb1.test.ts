import { describe, expect, test } from 'vitest';
import { seededRandom } from '../random/seeded-random.js';
import { strategyConformance } from '../testing/strategy-conformance.js';
import type { ScalarStatistics } from './scalar-statistics.js';
import type { ScalarStrategyArm } from './spec.js';
import { DEFAULTS, type Ucb1Options, ucb1 } from './ucb1.js';

strategyConformance(
  { test },
  {
    name: 'ucb1',
    create: (options) => ucb1(options as Ucb1Options),
    invalidOptions: [
      { explorationFactor: -1 },
      { explorationFactor: Number.NaN },
      { explorationFactor: Number.POSITIVE_INFINITY },
      { explorationFactor: '2' },
    ],
  },
);

function arm(count: number, sum: number, utilityOffset = 0): ScalarStrategyArm {
  const statistics: ScalarStatistics = { count, sum, sumOfSquares: sum };
  return { id: `arm-${count}-${sum}`, statistics, utilityOffset };
}

describe('ucb1', () => {
  test('defaults to the exploration factor 2 of Auer et al.', () => {
    expect(DEFAULTS).toEqual({ explorationFactor: 2 });
    expect(Object.isFrozen(DEFAULTS)).toBe(true);
    expect(ucb1().options).toEqual({ explorationFactor: 2 });
    expect(ucb1({ explorationFactor: 0.5 }).options.explorationFactor).toBe(0.5);
  });

  test('the index is x̄ + √(2 ln t / n)', () => {
    // t = 50: arm A (6 of 10) has index 0.6 + √(2 ln 50 / 10) = 1.484536; arm B (30 of 40)
    // 0.75 + √(2 ln 50 / 40) = 1.192268. The gap, 0.292268, is measured with B's utility offset.
    const strategy = ucb1();
    const random = seededRandom(1);
    expect(strategy.choose([arm(10, 6), arm(40, 30, 0.2922)], { random, totalCount: 50 })).toBe(0);
    expect(strategy.choose([arm(10, 6), arm(40, 30, 0.2923)], { random, totalCount: 50 })).toBe(1);
  });

  test('the exploration factor scales the bonus', () => {
    // With factor 0.5: A = 0.6 + √(0.5 ln 50 / 10) = 1.042268, B = 0.75 + √(0.5 ln 50 / 40) = 0.971134.
    const strategy = ucb1({ explorationFactor: 0.5 });
    const random = seededRandom(1);
    expect(strategy.choose([arm(10, 6), arm(40, 30, 0.0711)], { random, totalCount: 50 })).toBe(0);
    expect(strategy.choose([arm(10, 6), arm(40, 30, 0.0712)], { random, totalCount: 50 })).toBe(1);
  });

  test('with exploration factor 0 it is greedy', () => {
    const strategy = ucb1({ explorationFactor: 0 });
    for (let seed = 0; seed < 20; seed++) {
      expect(
        strategy.choose([arm(1, 0), arm(1000, 510), arm(1000, 500)], {
          random: seededRandom(seed),
          totalCount: 2001,
        }),
      ).toBe(1);
    }
  });

  test('plays arms that were never played first, at random among them', () => {
    const strategy = ucb1();
    const arms = [arm(100, 90), arm(0, 0), arm(5, 0), arm(0, 0)];
    const chosen = new Set<number>();
    for (let seed = 0; seed < 50; seed++)
      chosen.add(strategy.choose(arms, { random: seededRandom(seed), totalCount: 105 }));
    expect([...chosen].sort()).toEqual([1, 3]);
  });

  test('a total count below 1 gives no exploration bonus rather than NaN', () => {
    const strategy = ucb1();
    const arms = [arm(0.3, 0.1), arm(0.4, 0.3)];
    for (let seed = 0; seed < 10; seed++)
      expect(strategy.choose(arms, { random: seededRandom(seed), totalCount: 0.7 })).toBe(1);
  });

  test('estimate is the empirical mean with the Wilson score interval', () => {
    // 6 successes in 10 at 95 %: Wilson interval (0.312674, 0.831820).
    const estimate = ucb1().estimate({ count: 10, sum: 6, sumOfSquares: 6 }, 0.95);
    expect(estimate.mean).toBeCloseTo(0.6, 12);
    expect(estimate.lower).toBeCloseTo(0.31267377, 7);
    expect(estimate.upper).toBeCloseTo(0.83181967, 7);
    expect(ucb1().estimate({ count: 0, sum: 0, sumOfSquares: 0 }, 0.95)).toEqual({
      mean: 0.5,
      lower: 0,
      upper: 1,
    });
    const allFailures = ucb1().estimate({ count: 50, sum: 0, sumOfSquares: 0 }, 0.95);
    expect(allFailures.mean).toBe(0);
    expect(allFailures.lower).toBe(0);
    expect(allFailures.upper).toBeGreaterThan(0.05);
  });
});
