import jStat from 'jstat';
import type { RandomSource } from '../random/random-source.js';
import { sampleBeta, sampleStudentT } from '../random/sampling.js';
import { argmaxWithRandomTies } from './argmax.js';
import type { Estimate } from './estimate.js';
import { clamp, usableCount } from './numbers.js';
import { twoSidedStudentTQuantile } from './quantiles.js';
import type { ScalarStatistics } from './scalar-statistics.js';
import type { ScalarBanditStrategy, ScalarStrategyArm } from './spec.js';
import { isUnplayed } from './unplayed.js';
import { assertLevel, resolveOptions } from './validate-options.js';

/** Options of {@link thompsonSampling}. */
export type ThompsonSamplingOptions = {
  /**
   * The reward model.
   *
   * - `'bernoulli'`: rewards in [0, 1] (successes, or fractional scores treated as fractional
   *   successes); Beta posterior. The right choice for accuracy-like rewards.
   * - `'gaussian'`: any finite reward (unbounded metrics), Normal with unknown mean and variance;
   *   Normal-Gamma prior, Student-t posterior of the mean. Arms never played are played first.
   *
   * @default 'bernoulli'
   */
  readonly likelihood?: 'bernoulli' | 'gaussian';
  /** Bernoulli only: pseudo-successes of the Beta prior (its `alpha`). @default 1 */
  readonly priorSuccesses?: number;
  /** Bernoulli only: pseudo-failures of the Beta prior (its `beta`). @default 1 */
  readonly priorFailures?: number;
  /** Gaussian only: the prior guess of an arm's mean reward (μ₀). @default 0 */
  readonly priorMean?: number;
  /**
   * Gaussian only: how many observations the prior mean is worth (κ₀). Small values let the data
   * dominate after one observation. @default 0.01
   */
  readonly priorCount?: number;
  /**
   * Gaussian only: shape α₀ of the Gamma prior on the reward precision; 2α₀ is the prior's
   * degrees of freedom. @default 1
   */
  readonly priorShape?: number;
  /**
   * Gaussian only: rate β₀ of the Gamma prior on the reward precision. `priorRate / priorShape` is
   * the prior guess of the reward variance: it sets how widely arms with few observations are
   * explored, so set it near your metric's variance when rewards are far from unit scale.
   * @default 1
   */
  readonly priorRate?: number;
};

/** Default options of {@link thompsonSampling}. */
export const DEFAULTS: Readonly<Required<ThompsonSamplingOptions>> = Object.freeze({
  likelihood: 'bernoulli',
  priorSuccesses: 1,
  priorFailures: 1,
  priorMean: 0,
  priorCount: 0.01,
  priorShape: 1,
  priorRate: 1,
});

/** A Thompson sampling strategy, with its resolved options. */
export type ThompsonSamplingStrategy = ScalarBanditStrategy & {
  readonly name: 'thompson-sampling';
  readonly options: Readonly<Required<ThompsonSamplingOptions>>;
};

/**
 * Thompson sampling (Thompson 1933; Chapelle & Li 2011; Agrawal & Goyal 2012): draws a mean
 * reward for every arm from its posterior and plays the arm with the largest draw (plus its
 * utility offset).
 *
 * With `likelihood: 'bernoulli'` (the default) the posterior is Beta(priorSuccesses + Σr,
 * priorFailures + n − Σr), fractional rewards counting as fractional successes, and `estimate`
 * returns the posterior mean with an equal-tailed credible interval. With `'gaussian'` the
 * posterior of the mean is a Student-t from a Normal-Gamma prior, for rewards on any scale.
 *
 * @example
 * ```ts
 * const strategy = thompsonSampling({ likelihood: 'gaussian', priorRate: 0.01 });
 * ```
 */
export function thompsonSampling(options?: ThompsonSamplingOptions): ThompsonSamplingStrategy {
  const resolved = resolveOptions(options, DEFAULTS, {
    likelihood: { type: 'choice', values: ['bernoulli', 'gaussian'] },
    priorSuccesses: { type: 'number', minimum: 0, exclusiveMinimum: true },
    priorFailures: { type: 'number', minimum: 0, exclusiveMinimum: true },
    priorMean: { type: 'number' },
    priorCount: { type: 'number', minimum: 0, exclusiveMinimum: true },
    priorShape: { type: 'number', minimum: 0, exclusiveMinimum: true },
    priorRate: { type: 'number', minimum: 0, exclusiveMinimum: true },
  });
  return resolved.likelihood === 'gaussian'
    ? gaussianThompsonSampling(resolved)
    : bernoulliThompsonSampling(resolved);
}

function bernoulliThompsonSampling(
  options: Readonly<Required<ThompsonSamplingOptions>>,
): ThompsonSamplingStrategy {
  const { priorSuccesses, priorFailures } = options;
  /** Beta(α, β) after the observations; fractional rewards count as fractional successes. */
  const betaPosterior = (statistics: ScalarStatistics): [alpha: number, beta: number] => {
    const trials = usableCount(statistics.count);
    const successes = clamp(statistics.sum, 0, trials, 0);
    return [priorSuccesses + successes, priorFailures + trials - successes];
  };
  const sample = (arm: ScalarStrategyArm, _parameter: number, random: RandomSource): number => {
    const trials = usableCount(arm.statistics.count);
    const successes = clamp(arm.statistics.sum, 0, trials, 0);
    return sampleBeta(random, priorSuccesses + successes, priorFailures + trials - successes);
  };
  return {
    specificationVersion: 'v1',
    name: 'thompson-sampling',
    kind: 'scalar',
    rewardDomain: 'unit-interval',
    options,
    choose: (arms, context) => argmaxWithRandomTies(arms, sample, 0, context.random),
    expectedReward(statistics) {
      // The posterior mean (α / (α + β)), without allocating: it runs once per candidate per selection.
      const trials = usableCount(statistics.count);
      return (
        (priorSuccesses + clamp(statistics.sum, 0, trials, 0)) / (priorSuccesses + priorFailures + trials)
      );
    },
    estimate(statistics, level) {
      assertLevel(level);
      const [alpha, beta] = betaPosterior(statistics);
      const mean = alpha / (alpha + beta);
      const lower = jStat.beta.inv((1 - level) / 2, alpha, beta);
      const upper = jStat.beta.inv((1 + level) / 2, alpha, beta);
      return {
        mean,
        lower: lower >= 0 ? Math.min(lower, mean) : 0,
        upper: upper <= 1 ? Math.max(upper, mean) : 1,
      };
    },
  };
}

/** The Student-t posterior of an arm's mean under a Normal-Gamma prior. */
interface MeanPosterior {
  location: number;
  scale: number;
  degreesOfFreedom: number;
}

function gaussianThompsonSampling(
  options: Readonly<Required<ThompsonSamplingOptions>>,
): ThompsonSamplingStrategy {
  // Reused by `sample`, which runs synchronously, so that choosing allocates nothing.
  const scratch: MeanPosterior = { location: 0, scale: 0, degreesOfFreedom: 0 };
  const sample = (arm: ScalarStrategyArm, _parameter: number, random: RandomSource): number => {
    if (isUnplayed(arm.statistics.count)) return Number.POSITIVE_INFINITY;
    meanPosterior(arm.statistics, options, scratch);
    return scratch.location + scratch.scale * sampleStudentT(random, scratch.degreesOfFreedom);
  };
  return {
    specificationVersion: 'v1',
    name: 'thompson-sampling',
    kind: 'scalar',
    rewardDomain: 'real',
    options,
    choose: (arms, context) => argmaxWithRandomTies(arms, sample, 0, context.random),
    expectedReward: (statistics) => meanPosterior(statistics, options, scratch).location,
    estimate(statistics, level): Estimate {
      assertLevel(level);
      const posterior = meanPosterior(statistics, options, { location: 0, scale: 0, degreesOfFreedom: 0 });
      const halfWidth = posterior.scale * twoSidedStudentTQuantile(level, posterior.degreesOfFreedom);
      return {
        mean: posterior.location,
        lower: posterior.location - halfWidth,
        upper: posterior.location + halfWidth,
      };
    },
  };
}

/**
 * Writes into `out` the posterior of the mean after the observations in `statistics`:
 * κₙ = κ₀ + n, μₙ = (κ₀μ₀ + Σx) / κₙ, αₙ = α₀ + n/2,
 * βₙ = β₀ + S/2 + κ₀n(x̄ − μ₀)² / (2κₙ) with S the sum of squared deviations;
 * the mean is Student-t with 2αₙ degrees of freedom, location μₙ and scale √(βₙ / (αₙκₙ)).
 */
function meanPosterior(
  statistics: ScalarStatistics,
  options: Readonly<Required<ThompsonSamplingOptions>>,
  out: MeanPosterior,
): MeanPosterior {
  const { priorMean, priorCount, priorShape, priorRate } = options;
  // Statistics that are not finite numbers carry no usable information: use the prior alone.
  const usable =
    statistics.count > 0 &&
    Number.isFinite(statistics.count) &&
    Number.isFinite(statistics.sum) &&
    Number.isFinite(statistics.sumOfSquares);
  const count = usable ? statistics.count : 0;
  const sum = usable ? statistics.sum : 0;
  const mean = count > 0 ? sum / count : priorMean;
  const squaredDeviations = count > 0 ? Math.max(0, statistics.sumOfSquares - sum * mean) : 0;
  const posteriorCount = priorCount + count;
  const shape = priorShape + count / 2;
  const difference = mean - priorMean;
  const rate =
    priorRate + squaredDeviations / 2 + (priorCount * count * difference * difference) / (2 * posteriorCount);
  out.location = (priorCount * priorMean + sum) / posteriorCount;
  out.scale = Math.sqrt(rate / (shape * posteriorCount));
  out.degreesOfFreedom = 2 * shape;
  return out;
}
