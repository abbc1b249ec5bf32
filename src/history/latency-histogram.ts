/**
 * A log-scale latency histogram kept as additive counter fields (`latencyMs.bin.{i}`), so that
 * histograms of any number of processes and buckets merge by adding counts, and percentiles are
 * estimated from the merged counts.
 *
 * Bin 0 holds latencies below {@link LATENCY_HISTOGRAM.smallestMs} (0.1 ms); bin i ≥ 1 holds
 * [0.1 · r^(i−1), 0.1 · r^i) ms with r = 2^(1/8) (each bin about 9 % wider than the last); the last
 * bin ({@link LATENCY_HISTOGRAM.bins} − 1, from about 27 hours) is open-ended. An estimate lies in
 * the same bin as the exact percentile, so it is within a factor r (±9 %) of it.
 * @internal
 */
export const LATENCY_HISTOGRAM = Object.freeze({
  /** Upper end of bin 0, in milliseconds. */
  smallestMs: 0.1,
  /** Bins per doubling of the latency. */
  binsPerDoubling: 8,
  /** Number of bins (bin 240 starts at 0.1 · 2^29.875 ms ≈ 27 hours). */
  bins: 241,
});

/** The ratio between the ends of a bin: 2^(1/8). @internal */
export const LATENCY_BIN_RATIO = 2 ** (1 / LATENCY_HISTOGRAM.binsPerDoubling);

/** Prefix of the histogram's counter fields. @internal */
export const LATENCY_BIN_FIELD_PREFIX = 'latencyMs.bin.';

/** The counter field of each bin, made once (the hot path allocates none). @internal */
export const LATENCY_BIN_FIELDS: readonly string[] = Array.from(
  { length: LATENCY_HISTOGRAM.bins },
  (_, index) => `${LATENCY_BIN_FIELD_PREFIX}${index}`,
);

/** The bin of `latencyMs` (≥ 0). @internal */
export function latencyBin(latencyMs: number): number {
  if (!(latencyMs >= LATENCY_HISTOGRAM.smallestMs)) return 0;
  const index =
    1 + Math.floor(LATENCY_HISTOGRAM.binsPerDoubling * Math.log2(latencyMs / LATENCY_HISTOGRAM.smallestMs));
  return Math.min(index, LATENCY_HISTOGRAM.bins - 1);
}

/** The lower end of bin `index`, in milliseconds. @internal */
export function latencyBinStart(index: number): number {
  return index === 0 ? 0 : LATENCY_HISTOGRAM.smallestMs * LATENCY_BIN_RATIO ** (index - 1);
}

/**
 * The bin index of a histogram field name, or `undefined` for another field.
 * @internal
 */
export function binOfField(field: string): number | undefined {
  if (!field.startsWith(LATENCY_BIN_FIELD_PREFIX)) return undefined;
  const index = Number(field.slice(LATENCY_BIN_FIELD_PREFIX.length));
  return Number.isInteger(index) && index >= 0 && index < LATENCY_HISTOGRAM.bins ? index : undefined;
}

/**
 * Estimates the `quantile` (in [0, 1]) of the latencies counted in `bins` (count per bin index):
 * the bin holding the observation of rank ⌈quantile · total⌉, interpolated geometrically within
 * it (linearly in bin 0; the lower end for the open last bin). `undefined` when nothing is counted.
 * @internal
 */
export function estimateQuantile(bins: readonly number[], quantile: number): number | undefined {
  let total = 0;
  for (const count of bins) total += count > 0 ? count : 0;
  if (total <= 0) return undefined;
  const rank = Math.max(Math.ceil(quantile * total - 1e-9), 1);
  let before = 0;
  for (let index = 0; index < bins.length; index++) {
    const count = bins[index]! > 0 ? bins[index]! : 0;
    if (count === 0) continue;
    if (before + count >= rank) {
      // The observation of rank `rank` is the (rank − before)-th of `count` in this bin: place
      // the count's observations evenly (at the middle of equal slices) across the bin.
      const fraction = (rank - before - 0.5) / count;
      const start = latencyBinStart(index);
      if (index === 0) return fraction * LATENCY_HISTOGRAM.smallestMs;
      if (index === LATENCY_HISTOGRAM.bins - 1) return start;
      return start * LATENCY_BIN_RATIO ** fraction;
    }
    before += count;
  }
  return latencyBinStart(bins.length - 1);
}
