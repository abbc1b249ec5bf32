/**
 * Additive sufficient statistics of a linear reward model y ≈ θᵀx over feature vectors x of a
 * fixed dimension (x[0] is the constant 1). Like {@link ScalarStatistics}, fields add up across
 * processes.
 */
export interface LinearStatistics {
  /** Length of the feature vectors (including the leading constant 1). */
  readonly dimension: number;
  /** Sum of observation weights. */
  readonly count: number;
  /** XᵀX, `dimension × dimension`, row-major. */
  readonly gramMatrix: ArrayLike<number>;
  /** Xᵀy, of length `dimension`. */
  readonly featureRewardSums: ArrayLike<number>;
  /** Σ y. */
  readonly sum: number;
  /** Σ y² (yᵀy). */
  readonly sumOfSquares: number;
}

/** Linear statistics of no observation, for feature vectors of `dimension`. */
export function emptyLinearStatistics(dimension: number): LinearStatistics {
  return {
    dimension,
    count: 0,
    gramMatrix: new Float64Array(dimension * dimension),
    featureRewardSums: new Float64Array(dimension),
    sum: 0,
    sumOfSquares: 0,
  };
}
