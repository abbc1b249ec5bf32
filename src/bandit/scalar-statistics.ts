/**
 * Additive sufficient statistics of a scalar observation (a reward, a latency, a cost).
 * Statistics from several processes merge by adding their fields, which is what makes atomic
 * increments in a shared store possible. When observations decay (`halfLifeMs`), every field is
 * a weighted sum and `count` is the effective number of observations.
 */
export interface ScalarStatistics {
  /** Sum of observation weights: the number of observations when nothing decays. */
  readonly count: number;
  /** Weighted sum of the observed values. */
  readonly sum: number;
  /** Weighted sum of the squared observed values. */
  readonly sumOfSquares: number;
}

/** Statistics of no observation at all. */
export const EMPTY_SCALAR_STATISTICS: ScalarStatistics = Object.freeze({ count: 0, sum: 0, sumOfSquares: 0 });

/** The field-wise sum of two sets of statistics. */
export function addScalarStatistics(left: ScalarStatistics, right: ScalarStatistics): ScalarStatistics {
  return {
    count: left.count + right.count,
    sum: left.sum + right.sum,
    sumOfSquares: left.sumOfSquares + right.sumOfSquares,
  };
}

/** `statistics` with every field multiplied by `factor` (e.g. to weigh them as pseudo-observations). */
export function scaleScalarStatistics(statistics: ScalarStatistics, factor: number): ScalarStatistics {
  return {
    count: statistics.count * factor,
    sum: statistics.sum * factor,
    sumOfSquares: statistics.sumOfSquares * factor,
  };
}

/** The mean of the observations, or `fallback` when there are none. */
export function scalarMean(statistics: ScalarStatistics, fallback = Number.NaN): number {
  return statistics.count > 0 ? statistics.sum / statistics.count : fallback;
}

/** The (population) variance of the observations, never negative; `NaN` without observations. */
export function scalarVariance(statistics: ScalarStatistics): number {
  if (statistics.count <= 0) return Number.NaN;
  const mean = statistics.sum / statistics.count;
  return Math.max(0, statistics.sumOfSquares / statistics.count - mean * mean);
}
