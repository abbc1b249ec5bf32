import jStat from 'jstat';
import type { QualityMeasurement } from '../../core/model-score.js';
import { type RandomSource, sampleIndex } from '../../random/index.js';

/** An interval `[lower, upper]`. */
export interface Interval {
  readonly lower: number;
  readonly upper: number;
}

/** z such that a standard normal lies in [−z, z] with probability `level`. */
function twoSidedNormalQuantile(level: number): number {
  return jStat.normal.inv((1 + level) / 2, 0, 1);
}

function clip(value: number, minimum: number, maximum: number): number {
  return Math.min(maximum, Math.max(minimum, value));
}

/**
 * The Wilson score interval of a proportion `successes / trials`:
 * (p̂ + z²/2n ± z·√(p̂(1−p̂)/n + z²/4n²)) / (1 + z²/n), with z the normal quantile of
 * `level` (from jstat). It stays inside [0, 1] and behaves at p̂ = 0 or 1, unlike the Wald
 * interval. With no trials it is [0, 1].
 */
export function wilsonInterval(successes: number, trials: number, level: number): Interval {
  if (trials <= 0) return { lower: 0, upper: 1 };
  const z = twoSidedNormalQuantile(level);
  const proportion = successes / trials;
  const zSquared = z * z;
  const denominator = 1 + zSquared / trials;
  const center = (proportion + zSquared / (2 * trials)) / denominator;
  const halfWidth =
    (z / denominator) *
    Math.sqrt((proportion * (1 - proportion)) / trials + zSquared / (4 * trials * trials));
  return { lower: clip(center - halfWidth, 0, 1), upper: clip(center + halfWidth, 0, 1) };
}

/**
 * The Fisher z interval of a correlation `r` over `size` pairs: tanh(atanh(r) ± z·σ), with
 * σ² = `varianceFactor` / (n − 3): 1 for Pearson, 1.06 for Spearman (Fieller, Hartley and
 * Pearson, 1957). With 3 pairs or fewer it is the whole range [−1, 1].
 */
export function fisherInterval(
  correlation: number,
  size: number,
  level: number,
  varianceFactor = 1,
): Interval {
  if (size <= 3 || !Number.isFinite(correlation)) return { lower: -1, upper: 1 };
  const z = twoSidedNormalQuantile(level);
  const center = Math.atanh(clip(correlation, -1, 1));
  const halfWidth = z * Math.sqrt(varianceFactor / (size - 3));
  return {
    lower: clip(Math.tanh(center - halfWidth), -1, 1),
    upper: clip(Math.tanh(center + halfWidth), -1, 1),
  };
}

/** What {@link bootstrapInterval} needs. */
export interface BootstrapOptions {
  /** How many examples there are. */
  readonly size: number;
  /**
   * The metric on a resample, given how many times each example was drawn (`weights[i]`). The
   * metric on the original data is `statistic` with every weight 1.
   */
  readonly statistic: (weights: Uint32Array) => number;
  /** The metric on the original data. */
  readonly estimate: number;
  readonly random: RandomSource;
  readonly resamples: number;
  readonly level: number;
  /** The metric's range; the interval is clipped to it. */
  readonly minimum: number;
  readonly maximum: number;
}

/**
 * The percentile bootstrap interval: the (1 − level)/2 and (1 + level)/2 quantiles (linear
 * interpolation between order statistics) of the metric over `resamples` resamples of the
 * examples drawn with replacement from `random`. It is widened to contain `estimate` when the
 * percentile interval misses it (possible for skewed metrics such as F1), and clipped to the
 * metric's range. The same `random` state gives the same interval.
 */
export function bootstrapInterval({
  size,
  statistic,
  estimate,
  random,
  resamples,
  level,
  minimum,
  maximum,
}: BootstrapOptions): Interval {
  const weights = new Uint32Array(size);
  const values = new Float64Array(resamples);
  for (let resample = 0; resample < resamples; resample++) {
    weights.fill(0);
    for (let draw = 0; draw < size; draw++) weights[sampleIndex(random, size)]! += 1;
    values[resample] = statistic(weights);
  }
  values.sort();
  const lower = Math.min(quantile(values, (1 - level) / 2), estimate);
  const upper = Math.max(quantile(values, (1 + level) / 2), estimate);
  return { lower: clip(lower, minimum, maximum), upper: clip(upper, minimum, maximum) };
}

/** The `probability` quantile of sorted `values`, interpolating linearly (R's type 7). */
function quantile(sorted: Float64Array, probability: number): number {
  const position = (sorted.length - 1) * probability;
  const below = Math.floor(position);
  const above = Math.min(sorted.length - 1, below + 1);
  const fraction = position - below;
  return sorted[below]! + (sorted[above]! - sorted[below]!) * fraction;
}

/** A {@link QualityMeasurement} from a value and its interval. */
export function measurement(metric: string, value: number, interval: Interval): QualityMeasurement {
  return { metric, value, lower: interval.lower, upper: interval.upper };
}

/**
 * Writes `value` and its interval into `metrics` as `name`, `name-lower` and `name-upper`.
 */
export function recordWithInterval(
  metrics: Record<string, number>,
  name: string,
  value: number,
  interval: Interval,
): void {
  metrics[name] = value;
  metrics[`${name}-lower`] = interval.lower;
  metrics[`${name}-upper`] = interval.upper;
}

/** The mean of `values` weighted by `weights` (bootstrap statistic of a mean). */
export function weightedMean(values: ArrayLike<number>, weights: Uint32Array): number {
  let sum = 0;
  let count = 0;
  for (let index = 0; index < values.length; index++) {
    const weight = weights[index]!;
    if (weight === 0) continue;
    sum += weight * values[index]!;
    count += weight;
  }
  return count === 0 ? 0 : sum / count;
}

/** The percentile-bootstrap interval of the mean of per-example `values` in [minimum, maximum]. */
export function bootstrapMeanInterval(
  values: readonly number[],
  options: { random: RandomSource; resamples: number; level: number; minimum?: number; maximum?: number },
): Interval {
  const estimate = values.reduce((sum, value) => sum + value, 0) / values.length;
  return bootstrapInterval({
    size: values.length,
    statistic: (weights) => weightedMean(values, weights),
    estimate,
    random: options.random,
    resamples: options.resamples,
    level: options.level,
    minimum: options.minimum ?? 0,
    maximum: options.maximum ?? 1,
  });
}
