import type { LatencyPercentiles } from '../../core/model-score.js';

/** The q-quantile of sorted `values` by linear interpolation between order statistics (type 7). */
function quantile(sorted: Float64Array, q: number): number {
  const position = (sorted.length - 1) * q;
  const lower = Math.floor(position);
  const upper = Math.min(sorted.length - 1, lower + 1);
  return sorted[lower]! + (sorted[upper]! - sorted[lower]!) * (position - lower);
}

/** p50, p95 and p99 of per-item latencies in milliseconds (all 0 when there are none). @internal */
export function latencyPercentiles(latencies: readonly number[]): LatencyPercentiles {
  if (latencies.length === 0) return { p50: 0, p95: 0, p99: 0 };
  const sorted = Float64Array.from(latencies).sort();
  return { p50: quantile(sorted, 0.5), p95: quantile(sorted, 0.95), p99: quantile(sorted, 0.99) };
}
