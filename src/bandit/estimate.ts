/** A point estimate with an interval (credible or confidence, as the strategy defines). */
export interface Estimate {
  /** The point estimate (posterior mean or empirical mean). */
  readonly mean: number;
  /** Lower end of the interval. */
  readonly lower: number;
  /** Upper end of the interval. */
  readonly upper: number;
}
