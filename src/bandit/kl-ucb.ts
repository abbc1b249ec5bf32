import { argmaxWithRandomTies } from './argmax.js';
import { bernoulliUpperConfidenceBound } from './bernoulli-divergence.js';
import type { ScalarBanditStrategy, ScalarStrategyArm } from './spec.js';
import { unitExpectedReward, unitIntervalEstimate, unitMean } from './unit-interval-estimate.js';
import { isUnplayed } from './unplayed.js';
import { resolveOptions } from './validate-options.js';

/** Options of {@link klUcb}. */
export type KlUcbOptions = {
  /**
   * The constant c of the exploration threshold ln t + c · ln ln t. Garivier & Cappé (2011) prove
   * asymptotic optimality for c = 3 and recommend c = 0 in practice.
   * @default 0
   */
  readonly explorationConstant?: number;
};

/** Default options of {@link klUcb}. */
export const DEFAULTS: Readonly<Required<KlUcbOptions>> = Object.freeze({ explorationConstant: 0 });

/** A KL-UCB strategy, with its resolved options. */
export type KlUcbStrategy = ScalarBanditStrategy & {
  readonly name: 'kl-ucb';
  readonly options: Readonly<Required<KlUcbOptions>>;
};

/**
 * Bernoulli KL-UCB (Garivier & Cappé 2011): plays the arm with the largest upper confidence bound
 * max{ q ∈ [x̄ᵢ, 1] : nᵢ · KL(x̄ᵢ, q) ≤ ln t + c · ln ln t } (c = `explorationConstant`), where t is the context's `totalCount`
 * and KL the Bernoulli Kullback–Leibler divergence (the c term counts only once ln t > 1). Arms
 * never played are played first, in random order. Rewards must lie in [0, 1]; `estimate` returns
 * the empirical mean with a Wilson score interval.
 */
export function klUcb(options?: KlUcbOptions): KlUcbStrategy {
  const resolved = resolveOptions(options, DEFAULTS, {
    explorationConstant: { type: 'number', minimum: 0 },
  });
  const index = (arm: ScalarStrategyArm, threshold: number): number => {
    const statistics = arm.statistics;
    if (isUnplayed(statistics.count)) return Number.POSITIVE_INFINITY;
    return bernoulliUpperConfidenceBound(unitMean(statistics), threshold / statistics.count);
  };
  return {
    specificationVersion: 'v1',
    name: 'kl-ucb',
    kind: 'scalar',
    rewardDomain: 'unit-interval',
    options: resolved,
    choose: (arms, context) =>
      argmaxWithRandomTies(
        arms,
        index,
        explorationThreshold(context.totalCount, resolved.explorationConstant),
        context.random,
      ),
    estimate: unitIntervalEstimate,
    expectedReward: unitExpectedReward,
  };
}

/** ln t + c · ln ln t, with the second term only when ln t > 1 and never below 0. */
function explorationThreshold(totalCount: number, c: number): number {
  const logTotal = Math.log(totalCount);
  if (!(logTotal > 0)) return 0;
  return logTotal > 1 ? logTotal + c * Math.log(logTotal) : logTotal;
}
