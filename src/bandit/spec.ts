import type { RandomSource } from '../random/random-source.js';
import type { Estimate } from './estimate.js';
import type { LinearStatistics } from './linear-statistics.js';
import type { ScalarStatistics } from './scalar-statistics.js';

/** An arm as a scalar strategy sees it when choosing. */
export interface ScalarStrategyArm {
  /** The arm's id. */
  readonly id: string;
  /** What has been observed of the arm's reward (already decayed and backed off by the selector). */
  readonly statistics: ScalarStatistics;
  /**
   * Added to the arm's index before arms are compared, in reward units. The selector uses it to
   * subtract expected latency and cost penalties; 0 when only the reward matters.
   */
  readonly utilityOffset: number;
}

/** What a strategy may use besides the arms when it chooses. */
export interface ChooseContext {
  /** The only source of randomness a strategy may use (seeded by the selector). */
  readonly random: RandomSource;
  /**
   * Total (effective) number of observations behind this decision, the `t` of UCB-style
   * formulas; at least the sum of the arms' counts.
   */
  readonly totalCount: number;
}

/** An arm as a linear (contextual) strategy sees it. */
export interface LinearStrategyArm {
  /** The arm's id. */
  readonly id: string;
  /** What has been observed of the arm's reward as a function of the features. */
  readonly statistics: LinearStatistics;
  /** As {@link ScalarStrategyArm.utilityOffset}. */
  readonly utilityOffset: number;
}

/** What a linear strategy may use when it chooses. */
export interface LinearChooseContext extends ChooseContext {
  /** The request's feature vector: `[1, ...numeric context values in key order]`. */
  readonly features: readonly number[];
}

/** The domain of rewards a strategy accepts. */
export type RewardDomain = 'unit-interval' | 'real';

/** Fields every strategy has. */
interface StrategyBase {
  readonly specificationVersion: 'v1';
  /** A stable name, e.g. `'thompson-sampling'`. */
  readonly name: string;
  /** `'unit-interval'`: rewards must lie in [0, 1]; `'real'`: any finite number. */
  readonly rewardDomain: RewardDomain;
  /** The strategy's resolved options (defaults filled in), for explanations and logs. */
  readonly options: Readonly<Record<string, number | string | boolean>>;
}

/**
 * A bandit strategy over scalar statistics (Thompson sampling, UCB1, KL-UCB, ε-greedy).
 *
 * Strategies hold no learned state: the selector keeps additive statistics in a store and hands
 * them to `choose`, so state from many processes merges. A strategy must be deterministic given
 * the `random` source, must break ties at random, and must never return NaN-driven choices.
 */
export interface ScalarBanditStrategy extends StrategyBase {
  readonly kind: 'scalar';
  /**
   * Returns the index (into `arms`, non-empty) of the arm to play. The arm objects are only valid
   * during the call (the selector reuses them): a strategy must not keep them.
   */
  choose(arms: readonly ScalarStrategyArm[], context: ChooseContext): number;
  /** The arm's estimated mean reward with an interval of probability `level` (e.g. 0.95). */
  estimate(statistics: ScalarStatistics, level: number): Estimate;
  /**
   * Optional: the same mean as `estimate(statistics, level).mean`, without computing an interval.
   * Selection ranks fallbacks with it on its hot path when present.
   */
  expectedReward?(statistics: ScalarStatistics): number;
}

/** A contextual bandit strategy over linear statistics (LinUCB, linear Thompson sampling). */
export interface LinearBanditStrategy extends StrategyBase {
  readonly kind: 'linear';
  /** Returns the index (into `arms`, non-empty) of the arm to play for these features. */
  choose(arms: readonly LinearStrategyArm[], context: LinearChooseContext): number;
  /** The arm's predicted reward for `features`, with an interval of probability `level`. */
  estimate(statistics: LinearStatistics, features: readonly number[], level: number): Estimate;
}

/** Any bandit strategy: the plug-in point of the selection engine. */
export type BanditStrategy = ScalarBanditStrategy | LinearBanditStrategy;
