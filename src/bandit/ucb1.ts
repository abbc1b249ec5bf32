import { argmaxWithRandomTies } from './argmax.js';
import type { ScalarBanditStrategy, ScalarStrategyArm } from './spec.js';
import { unitExpectedReward, unitIntervalEstimate, unitMean } from './unit-interval-estimate.js';
import { isUnplayed } from './unplayed.js';
import { resolveOptions } from './validate-options.js';

/** Options of {@link ucb1}. */
export type Ucb1Options = {
  /**
   * The factor c in the index x̄ + √(c · ln t / n). Auer et al. (2002) prove logarithmic regret for
   * c = 2; smaller values explore less and usually do better in practice, larger values explore more.
   * @default 2
   */
  readonly explorationFactor?: number;
};

/** Default options of {@link ucb1}. */
export const DEFAULTS: Readonly<Required<Ucb1Options>> = Object.freeze({ explorationFactor: 2 });

/** A UCB1 strategy, with its resolved options. */
export type Ucb1Strategy = ScalarBanditStrategy & {
  readonly name: 'ucb1';
  readonly options: Readonly<Required<Ucb1Options>>;
};

/**
 * UCB1 (Auer, Cesa-Bianchi & Fischer 2002): plays the arm with the largest upper confidence
 * index x̄ᵢ + √(explorationFactor · ln t / nᵢ), where t is the context's `totalCount`. Arms never
 * played are played first, in random order. Rewards must lie in [0, 1]; `estimate` returns the
 * empirical mean with a Wilson score interval.
 */
export function ucb1(options?: Ucb1Options): Ucb1Strategy {
  const resolved = resolveOptions(options, DEFAULTS, {
    explorationFactor: { type: 'number', minimum: 0 },
  });
  const { explorationFactor } = resolved;
  const index = (arm: ScalarStrategyArm, logTotalCount: number): number => {
    const statistics = arm.statistics;
    if (isUnplayed(statistics.count)) return Number.POSITIVE_INFINITY;
    return unitMean(statistics) + Math.sqrt((explorationFactor * logTotalCount) / statistics.count);
  };
  return {
    specificationVersion: 'v1',
    name: 'ucb1',
    kind: 'scalar',
    rewardDomain: 'unit-interval',
    options: resolved,
    choose: (arms, context) =>
      argmaxWithRandomTies(arms, index, Math.log(Math.max(1, context.totalCount)), context.random),
    estimate: unitIntervalEstimate,
    expectedReward: unitExpectedReward,
  };
}
