import { sampleIndex } from '../random/sampling.js';
import { argmaxWithRandomTies } from './argmax.js';
import type { ScalarBanditStrategy, ScalarStrategyArm } from './spec.js';
import { unitExpectedReward, unitIntervalEstimate, unitMean } from './unit-interval-estimate.js';
import { isUnplayed } from './unplayed.js';
import { resolveOptions } from './validate-options.js';

/** Options of {@link epsilonGreedy}. */
export type EpsilonGreedyOptions = {
  /**
   * The probability ε of playing a uniformly random arm instead of the best-looking one. With
   * `decay: 'inverse-time'` it is the largest exploration probability, used while t is small.
   * @default 0.1
   */
  readonly epsilon?: number;
  /**
   * How ε changes with the number of observations t (the context's `totalCount`).
   *
   * - `'none'`: ε stays fixed. Keeps adapting if the arms change, at a constant exploration cost.
   * - `'inverse-time'`: εₜ = min(epsilon, decayConstant · K / t) for K arms, the εₙ-greedy schedule
   *   of Auer, Cesa-Bianchi & Fischer (2002) (their εₙ = min(1, cK / (d²n)), with
   *   decayConstant = c / d² and the cap `epsilon` in place of 1). Logarithmic regret when
   *   decayConstant is large enough for the gaps between arms.
   *
   * @default 'none'
   */
  readonly decay?: 'none' | 'inverse-time';
  /**
   * With `decay: 'inverse-time'`: the constant of the schedule (c / d² of Auer et al.); each arm
   * then gets about decayConstant · ln t random plays. Too small a value can lock onto a worse arm
   * for a long time when the gaps between arms are small; a larger value costs at most what a fixed
   * `epsilon` costs.
   * @default 50
   */
  readonly decayConstant?: number;
};

/** Default options of {@link epsilonGreedy}. */
export const DEFAULTS: Readonly<Required<EpsilonGreedyOptions>> = Object.freeze({
  epsilon: 0.1,
  decay: 'none',
  decayConstant: 50,
});

/** An ε-greedy strategy, with its resolved options. */
export type EpsilonGreedyStrategy = ScalarBanditStrategy & {
  readonly name: 'epsilon-greedy';
  readonly options: Readonly<Required<EpsilonGreedyOptions>>;
};

/**
 * ε-greedy: with probability ε plays a uniformly random arm, otherwise the arm with the largest
 * empirical mean reward plus utility offset (ties broken at random). Arms never played count as
 * best, so each is tried once before exploitation starts. Rewards must lie in [0, 1]; `estimate`
 * returns the empirical mean with a Wilson score interval.
 */
export function epsilonGreedy(options?: EpsilonGreedyOptions): EpsilonGreedyStrategy {
  const resolved = resolveOptions(options, DEFAULTS, {
    epsilon: { type: 'number', minimum: 0, maximum: 1 },
    decay: { type: 'choice', values: ['none', 'inverse-time'] },
    decayConstant: { type: 'number', minimum: 0, exclusiveMinimum: true },
  });
  const { epsilon, decay, decayConstant } = resolved;
  return {
    specificationVersion: 'v1',
    name: 'epsilon-greedy',
    kind: 'scalar',
    rewardDomain: 'unit-interval',
    options: resolved,
    choose(arms, context) {
      const random = context.random;
      const explorationProbability =
        decay === 'none' ? epsilon : Math.min(epsilon, (decayConstant * arms.length) / context.totalCount);
      if (random.next() < explorationProbability) return sampleIndex(random, arms.length);
      return argmaxWithRandomTies(arms, empiricalMean, 0, random);
    },
    estimate: unitIntervalEstimate,
    expectedReward: unitExpectedReward,
  };
}

function empiricalMean(arm: ScalarStrategyArm): number {
  return isUnplayed(arm.statistics.count) ? Number.POSITIVE_INFINITY : unitMean(arm.statistics);
}
