/**
 * Ranks 1…n of `values` in ascending order; tied values get the average of the ranks they span
 * (e.g. [10, 20, 20, 30] → [1, 2.5, 2.5, 4]).
 */
export function averageRanks(values: readonly number[]): number[] {
  const order = values.map((_, index) => index).sort((first, second) => values[first]! - values[second]!);
  const ranks = new Array<number>(values.length);
  let start = 0;
  while (start < order.length) {
    let end = start + 1;
    while (end < order.length && values[order[end]!] === values[order[start]!]) end += 1;
    // Positions start…end−1 hold ranks start+1…end; their average is (start + 1 + end) / 2.
    const rank = (start + 1 + end) / 2;
    for (let position = start; position < end; position++) ranks[order[position]!] = rank;
    start = end;
  }
  return ranks;
}

/**
 * Pearson's correlation of two equally long series: Σ(x−x̄)(y−ȳ) / √(Σ(x−x̄)²·Σ(y−ȳ)²). It is 0
 * by convention when either series is constant (the correlation is undefined there).
 */
export function pearsonCorrelation(first: readonly number[], second: readonly number[]): number {
  const size = first.length;
  if (size === 0) return 0;
  const firstMean = first.reduce((sum, value) => sum + value, 0) / size;
  const secondMean = second.reduce((sum, value) => sum + value, 0) / size;
  let covariance = 0;
  let firstVariance = 0;
  let secondVariance = 0;
  for (let index = 0; index < size; index++) {
    const firstDeviation = first[index]! - firstMean;
    const secondDeviation = second[index]! - secondMean;
    covariance += firstDeviation * secondDeviation;
    firstVariance += firstDeviation * firstDeviation;
    secondVariance += secondDeviation * secondDeviation;
  }
  if (firstVariance === 0 || secondVariance === 0) return 0;
  return Math.max(-1, Math.min(1, covariance / Math.sqrt(firstVariance * secondVariance)));
}

/** Spearman's rank correlation: Pearson's correlation of the average ranks (ties handled). */
export function spearmanCorrelation(first: readonly number[], second: readonly number[]): number {
  return pearsonCorrelation(averageRanks(first), averageRanks(second));
}
