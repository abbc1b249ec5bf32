/**
 * Half-width of the two-sided asymptotic confidence sequence for a mean (Waudby-Smith, Arbour,
 * Sinha, Kennedy and Ramdas, "Time-uniform central limit theory and asymptotic confidence
 * sequences", Annals of Statistics 2024, eq. 2.6): after `count` observations with sample
 * variance `variance`, the mean lies within
 *
 *   σ̂ · √( 2(nρ² + 1) / (n²ρ²) · ln( √(nρ² + 1) / α ) )
 *
 * of the running mean, at every `count` at once, with probability → 1 − α. Unlike a fixed-sample
 * interval, it may be checked after every round without a union bound over the looks. ρ makes it
 * tightest at `tightestAt` observations: ρ² = (−2 ln α + ln(1 − 2 ln α)) / tightestAt.
 * @internal
 */
export function confidenceSequenceHalfWidth(
  count: number,
  variance: number,
  alpha: number,
  tightestAt: number,
): number {
  if (count <= 0) return Number.POSITIVE_INFINITY;
  const logAlpha = Math.log(alpha);
  const rhoSquared = (-2 * logAlpha + Math.log(1 - 2 * logAlpha)) / tightestAt;
  const spread = count * rhoSquared + 1;
  const factor = Math.sqrt(
    ((2 * spread) / (count * count * rhoSquared)) * Math.log(Math.sqrt(spread) / alpha),
  );
  return Math.sqrt(Math.max(0, variance)) * factor;
}
