import type { Estimate } from './estimate.js';
import { clamp } from './numbers.js';
import { twoSidedNormalQuantile } from './quantiles.js';
import type { ScalarStatistics } from './scalar-statistics.js';
import { isUnplayed } from './unplayed.js';
import { assertLevel } from './validate-options.js';

/** The estimate of an arm without observations: everything in [0, 1] is possible. */
const UNINFORMED_ESTIMATE: Estimate = Object.freeze({ mean: 0.5, lower: 0, upper: 1 });

/**
 * The empirical mean of rewards in [0, 1], clamped into [0, 1] (float error in decayed sums can
 * push it slightly outside); 0.5 when it is not a number. The arm must have been played. @internal
 */
export function unitMean(statistics: ScalarStatistics): number {
  return clamp(statistics.sum / statistics.count, 0, 1, 0.5);
}

/** The mean {@link unitIntervalEstimate} reports, without the interval: 0.5 without observations. @internal */
export function unitExpectedReward(statistics: ScalarStatistics): number {
  const count = statistics.count;
  return isUnplayed(count) || !Number.isFinite(count) ? UNINFORMED_ESTIMATE.mean : unitMean(statistics);
}

/**
 * The empirical mean of rewards in [0, 1] with a Wilson score interval of probability `level`.
 * The Wilson interval treats the rewards as Bernoulli, whose variance p(1 − p) bounds that of any
 * reward in [0, 1] with mean p, so it is conservative for fractional rewards; it always contains
 * the empirical mean and stays inside [0, 1]. Without observations: mean 0.5, interval [0, 1].
 * @internal
 */
export function unitIntervalEstimate(statistics: ScalarStatistics, level: number): Estimate {
  assertLevel(level);
  const count = statistics.count;
  if (isUnplayed(count) || !Number.isFinite(count)) return UNINFORMED_ESTIMATE;
  const mean = unitMean(statistics);
  const z = twoSidedNormalQuantile(level);
  const zSquaredOverCount = (z * z) / count;
  const denominator = 1 + zSquaredOverCount;
  const center = (mean + zSquaredOverCount / 2) / denominator;
  const halfWidth =
    (z * Math.sqrt((mean * (1 - mean)) / count + zSquaredOverCount / (4 * count))) / denominator;
  return {
    mean,
    lower: Math.max(0, Math.min(mean, center - halfWidth)),
    upper: Math.min(1, Math.max(mean, center + halfWidth)),
  };
}
