import type { Task } from './task.js';

/** A quality metric's value with its interval. */
export interface QualityMeasurement {
  /** The metric, e.g. `'accuracy'`, `'macro-f1'`, `'rouge-l'`. */
  readonly metric: string;
  readonly value: number;
  readonly lower: number;
  readonly upper: number;
}

/** Latency percentiles in milliseconds. */
export interface LatencyPercentiles {
  readonly p50: number;
  readonly p95: number;
  readonly p99: number;
}

/** What an evaluation measured of one model. */
export interface ModelScore {
  readonly modelId: string;
  readonly task: Task;
  /** The headline quality metric with its interval. */
  readonly quality: QualityMeasurement;
  /** Every metric computed, by name. */
  readonly metrics: Readonly<Record<string, number>>;
  readonly latencyMs: LatencyPercentiles;
  /** Items per second. */
  readonly throughput: number;
  /** Time to load the model, in milliseconds. */
  readonly loadMs: number;
  /** Memory the loaded model used, in bytes. */
  readonly memoryBytes: number;
  /** How many examples were evaluated. */
  readonly samples: number;
  /** True when the evaluation stopped early (budget, racing, errors) before all examples. */
  readonly partial: boolean;
}
