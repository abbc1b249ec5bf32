import { describe, expect, test } from 'vitest';
import { seededRandom } from '../random/seeded-random.js';
import {
  binOfField,
  estimateQuantile,
  LATENCY_BIN_FIELDS,
  LATENCY_BIN_RATIO,
  LATENCY_HISTOGRAM,
  latencyBin,
  latencyBinStart,
} from './latency-histogram.js';

/** The exact quantile by nearest rank: the ⌈q·n⌉-th smallest. */
function exactQuantile(sorted: readonly number[], quantile: number): number {
  return sorted[Math.max(Math.ceil(quantile * sorted.length), 1) - 1]!;
}

function histogramOf(latencies: readonly number[]): number[] {
  const bins = new Array<number>(LATENCY_HISTOGRAM.bins).fill(0);
  for (const latency of latencies) bins[latencyBin(latency)]!++;
  return bins;
}

describe('latency histogram', () => {
  test('bins: below 0.1 ms in bin 0, then 8 per doubling, the last one open-ended', () => {
    expect(latencyBin(0)).toBe(0);
    expect(latencyBin(0.0999)).toBe(0);
    expect(latencyBin(0.1)).toBe(1);
    expect(latencyBin(0.1 * LATENCY_BIN_RATIO * 0.9999)).toBe(1);
    expect(latencyBin(0.1 * LATENCY_BIN_RATIO * 1.0001)).toBe(2);
    expect(latencyBin(0.2 * 1.0001)).toBe(9);
    expect(latencyBin(102.4 * 1.0001)).toBe(1 + 8 * 10);
    expect(latencyBin(100)).toBe(80);
    expect(latencyBin(1e12)).toBe(LATENCY_HISTOGRAM.bins - 1);
    for (let index = 1; index < LATENCY_HISTOGRAM.bins; index++) {
      expect(latencyBin(latencyBinStart(index) * 1.000001)).toBe(index);
    }
  });

  test('field names round-trip, other fields are not bins', () => {
    expect(LATENCY_BIN_FIELDS[17]).toBe('latencyMs.bin.17');
    expect(binOfField('latencyMs.bin.17')).toBe(17);
    expect(binOfField('latencyMs.bin.241')).toBeUndefined();
    expect(binOfField('latencyMs.sum')).toBeUndefined();
    expect(binOfField('latencyMs.bin.x')).toBeUndefined();
  });

  test('percentiles of a log-normal sample are within one bin ratio (±9 %) of the exact ones', () => {
    const random = seededRandom(7);
    // Log-normal around 120 ms with a heavy tail (σ = 0.8), from Box–Muller normals.
    const latencies = Array.from({ length: 20_000 }, () => {
      const normal = Math.sqrt(-2 * Math.log(1 - random.next())) * Math.cos(2 * Math.PI * random.next());
      return 120 * Math.exp(0.8 * normal);
    });
    const sorted = [...latencies].sort((left, right) => left - right);
    const bins = histogramOf(latencies);
    for (const quantile of [0.01, 0.1, 0.5, 0.9, 0.95, 0.99, 0.999]) {
      const estimate = estimateQuantile(bins, quantile)!;
      const exact = exactQuantile(sorted, quantile);
      expect(estimate / exact, `q${quantile}: ${estimate} vs ${exact}`).toBeGreaterThan(
        1 / LATENCY_BIN_RATIO,
      );
      expect(estimate / exact, `q${quantile}: ${estimate} vs ${exact}`).toBeLessThan(LATENCY_BIN_RATIO);
    }
  });

  test('histograms merge by adding counts: the halves give the estimates of the whole', () => {
    const random = seededRandom(3);
    const latencies = Array.from({ length: 4000 }, () => 5 + 400 * random.next() ** 3);
    const whole = histogramOf(latencies);
    const first = histogramOf(latencies.slice(0, 1500));
    const second = histogramOf(latencies.slice(1500));
    const merged = first.map((count, index) => count + second[index]!);
    expect(merged).toEqual(whole);
    expect(estimateQuantile(merged, 0.95)).toBe(estimateQuantile(whole, 0.95));
  });

  test('edge cases: nothing counted, a single value, all in bin 0, the open last bin', () => {
    expect(estimateQuantile(new Array<number>(LATENCY_HISTOGRAM.bins).fill(0), 0.5)).toBeUndefined();
    const single = histogramOf([42]);
    for (const quantile of [0, 0.5, 1]) {
      const estimate = estimateQuantile(single, quantile)!;
      expect(estimate).toBeGreaterThanOrEqual(latencyBinStart(latencyBin(42)));
      expect(estimate).toBeLessThan(latencyBinStart(latencyBin(42) + 1));
    }
    expect(estimateQuantile(histogramOf([0, 0.01, 0.05]), 1)).toBeLessThan(0.1);
    expect(estimateQuantile(histogramOf([1e12]), 0.5)).toBe(latencyBinStart(LATENCY_HISTOGRAM.bins - 1));
  });
});
