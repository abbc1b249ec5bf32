export {
  DEFAULTS as EPSILON_GREEDY_DEFAULTS,
  type EpsilonGreedyOptions,
  type EpsilonGreedyStrategy,
  epsilonGreedy,
} from './epsilon-greedy.js';
export type { Estimate } from './estimate.js';
export {
  DEFAULTS as KL_UCB_DEFAULTS,
  type KlUcbOptions,
  type KlUcbStrategy,
  klUcb,
} from './kl-ucb.js';
export {
  DEFAULTS as LIN_UCB_DEFAULTS,
  type LinUcbOptions,
  type LinUcbStrategy,
  linUcb,
} from './lin-ucb.js';
export { emptyLinearStatistics, type LinearStatistics } from './linear-statistics.js';
export {
  addScalarStatistics,
  EMPTY_SCALAR_STATISTICS,
  type ScalarStatistics,
  scalarMean,
  scalarVariance,
  scaleScalarStatistics,
} from './scalar-statistics.js';
export type {
  BanditStrategy,
  ChooseContext,
  LinearBanditStrategy,
  LinearChooseContext,
  LinearStrategyArm,
  RewardDomain,
  ScalarBanditStrategy,
  ScalarStrategyArm,
} from './spec.js';
export {
  DEFAULTS as THOMPSON_SAMPLING_DEFAULTS,
  type ThompsonSamplingOptions,
  type ThompsonSamplingStrategy,
  thompsonSampling,
} from './thompson-sampling.js';
export {
  DEFAULTS as UCB1_DEFAULTS,
  type Ucb1Options,
  type Ucb1Strategy,
  ucb1,
} from './ucb1.js';
