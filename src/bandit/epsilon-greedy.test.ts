import { describe, expect, test } from 'vitest';
import { seededRandom } from '../random/seeded-random.js';
import { strategyConformance } from '../testing/strategy-conformance.js';
import { DEFAULTS, type EpsilonGreedyOptions, epsilonGreedy } from './epsilon-greedy.js';
import type { ScalarStrategyArm } from './spec.js';

const invalidOptions = [
  { epsilon: -0.1 },
  { epsilon: 1.5 },
  { epsilon: Number.NaN },
  { decay: 'exponential' },
  { decay: true },
  { decayConstant: 0 },
  { decayConstant: Number.NaN },
];

strategyConformance(
  { test },
  {
    name: 'epsilonGreedy',
    create: (options) => epsilonGreedy(options as EpsilonGreedyOptions),
    invalidOptions,
  },
);

strategyConformance(
  { test },
  {
    name: 'epsilonGreedy (inverse-time)',
    create: (options) => epsilonGreedy({ decay: 'inverse-time', ...(options as EpsilonGreedyOptions) }),
    invalidOptions,
  },
);

function arm(count: number, sum: number): ScalarStrategyArm {
  return { id: `arm-${count}-${sum}`, statistics: { count, sum, sumOfSquares: sum }, utilityOffset: 0 };
}

/** One clearly best arm (index 0) and four poor ones. */
const arms = [arm(100, 90), arm(100, 10), arm(100, 12), arm(100, 8), arm(100, 11)];

/** How often `strategy` leaves the best arm, over `draws` decisions at `totalCount`. */
function explorationRate(options: EpsilonGreedyOptions, totalCount: number, draws = 20_000): number {
  const strategy = epsilonGreedy(options);
  const random = seededRandom(`rate ${totalCount}`);
  let other = 0;
  for (let draw = 0; draw < draws; draw++) if (strategy.choose(arms, { random, totalCount }) !== 0) other++;
  return other / draws;
}

/** Within 0.012 (over four standard deviations of a rate estimated from 20,000 draws). */
function expectNear(rate: number, expected: number): void {
  expect(Math.abs(rate - expected)).toBeLessThan(0.012);
}

describe('epsilonGreedy', () => {
  test('has frozen defaults: a fixed ε of 0.1', () => {
    expect(DEFAULTS).toEqual({ epsilon: 0.1, decay: 'none', decayConstant: 50 });
    expect(Object.isFrozen(DEFAULTS)).toBe(true);
    expect(epsilonGreedy({ epsilon: 0.3 }).options).toEqual({
      epsilon: 0.3,
      decay: 'none',
      decayConstant: 50,
    });
  });

  test('with fixed ε leaves the best arm with probability ε · (K − 1) / K', () => {
    // ε = 0.2, K = 5: 0.16, whatever t is.
    expectNear(explorationRate({ epsilon: 0.2 }, 500), 0.16);
    expectNear(explorationRate({ epsilon: 0.2 }, 1e6), 0.16);
    expect(explorationRate({ epsilon: 0 }, 500)).toBe(0);
    expectNear(explorationRate({ epsilon: 1 }, 500), 0.8);
  });

  test('with inverse-time decay uses εₜ = min(epsilon, decayConstant · K / t)', () => {
    const options: EpsilonGreedyOptions = { epsilon: 1, decay: 'inverse-time', decayConstant: 1 };
    // K = 5: t = 2 → ε = 1 (capped); t = 10 → 0.5; t = 50 → 0.1; t = 5000 → 0.001.
    expectNear(explorationRate(options, 2), 0.8);
    expectNear(explorationRate(options, 10), 0.4);
    expectNear(explorationRate(options, 50), 0.08);
    expect(explorationRate(options, 5000)).toBeLessThan(0.003);
    // The cap: epsilon 0.1 with decayConstant 10 stays at 0.1 until t = 500.
    expectNear(explorationRate({ epsilon: 0.1, decay: 'inverse-time', decayConstant: 10 }, 400), 0.08);
    expectNear(explorationRate({ epsilon: 0.1, decay: 'inverse-time', decayConstant: 10 }, 2000), 0.02);
  });

  test('tries every arm that was never played before exploiting', () => {
    const strategy = epsilonGreedy({ epsilon: 0 });
    const withUnplayed = [arm(100, 90), arm(0, 0), arm(100, 10), arm(0, 0)];
    const chosen = new Set<number>();
    for (let seed = 0; seed < 50; seed++)
      chosen.add(strategy.choose(withUnplayed, { random: seededRandom(seed), totalCount: 200 }));
    expect([...chosen].sort()).toEqual([1, 3]);
  });

  test('estimate is the empirical mean with the Wilson score interval', () => {
    const estimate = epsilonGreedy().estimate({ count: 10, sum: 6, sumOfSquares: 6 }, 0.95);
    expect(estimate.mean).toBeCloseTo(0.6, 12);
    expect(estimate.lower).toBeCloseTo(0.31267377, 7);
    expect(estimate.upper).toBeCloseTo(0.83181967, 7);
  });
});
