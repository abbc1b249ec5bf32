import type { EvaluationStopReason } from '../evaluation/evaluator/evaluation-score.js';
import type { LearningObservation } from './learning-curves.js';

/**
 * What the report shows of one candidate: an `EvaluationScore` (from `scout.evaluate`,
 * `evaluator.evaluate` or `getEvaluationHistory`) or a `ModelScore` fits as is. Only `modelId`
 * and `quality` are required; a missing or non-finite figure is shown as `—` and left out of the
 * plots that need it.
 */
export interface ReportScore {
  readonly modelId: string;
  /** The task, e.g. `'text-classification'`. */
  readonly task?: string;
  /** The headline quality metric; `lower` and `upper` bound its interval. */
  readonly quality: {
    readonly metric: string;
    readonly value: number;
    readonly lower?: number;
    readonly upper?: number;
  };
  /**
   * Latency percentiles per item, in milliseconds. A percentile that is missing, not finite or
   * ≤ 0 (what an evaluation that predicted nothing reports) counts as not measured.
   */
  readonly latencyMs?: {
    readonly p50?: number;
    readonly p95?: number;
    readonly p99?: number;
  };
  /** Items per second. */
  readonly throughput?: number;
  /** Time to load the model, in milliseconds. */
  readonly loadMs?: number;
  /** Memory the loaded model used, in bytes. */
  readonly memoryBytes?: number;
  /** Examples evaluated; a score with 0 samples is listed in the table but not plotted. */
  readonly samples?: number;
  /** Whether the evaluation stopped before every example. */
  readonly partial?: boolean;
  /** Why the evaluation ended (see `EvaluationStopReason`). */
  readonly stopReason?: EvaluationStopReason;
  /** Racing only: whether it won, and the leader that eliminated it. */
  readonly race?: { readonly winner: boolean; readonly eliminatedBy?: string };
  /** Identifies the data (a dataset id or fingerprint). */
  readonly dataset?: string;
  /** When the evaluation ended, ISO 8601. */
  readonly evaluatedAt?: string;
  /** The runner that ran it. */
  readonly runner?: string;
  /** The weight type loaded. */
  readonly dtype?: string;
  /** Why it failed, when it did. */
  readonly error?: string;
}

/** Which latency percentile the quality–latency plot uses. */
export type LatencyPercentile = 'p50' | 'p95' | 'p99';

/** The latency axis of the quality–latency plot: chosen from the data (`'auto'`) or fixed. */
export type LatencyAxis = 'auto' | 'linear' | 'log';

/** What {@link renderReport} and {@link writeReport} render. */
export interface ReportInput {
  /** The page's title. @default REPORT_DEFAULTS.title ('Model evaluation') */
  readonly title?: string;
  /** A paragraph under the title (plain text). @default none */
  readonly description?: string;
  /** The candidates' scores, e.g. what `scout.evaluate` resolved to. May be empty. */
  readonly scores: readonly ReportScore[];
  /**
   * What the selector did while serving, one observation per request in order (see
   * `recordLearningCurve`); the learning curves are drawn when there is at least one. @default none
   */
  readonly learningCurve?: readonly LearningObservation[];
  /** When the report was made (shown in the summary). @default the current time */
  readonly generatedAt?: Date | number;
  /** A name for the data, shown instead of the scores' dataset ids (e.g. `'SST-2 sample, 500 rows'`). @default the scores' `dataset` */
  readonly dataset?: string;
  /** The latency percentile on the quality–latency plot's x axis. @default REPORT_DEFAULTS.latencyPercentile ('p50') */
  readonly latencyPercentile?: LatencyPercentile;
  /**
   * The latency axis: `'auto'` is logarithmic when the largest plotted latency is at least
   * `logScaleRatio` × the smallest. @default REPORT_DEFAULTS.latencyAxis ('auto')
   */
  readonly latencyAxis?: LatencyAxis;
  /** See `latencyAxis`. @default REPORT_DEFAULTS.logScaleRatio (20) */
  readonly logScaleRatio?: number;
  /**
   * Most points labeled with their model id on the quality–latency plot: every point when there
   * are at most this many, else the Pareto front's (when they are at most this many), else none
   * (each point still has a tooltip). @default REPORT_DEFAULTS.maxPointLabels (12)
   */
  readonly maxPointLabels?: number;
  /** Most models on the quality-with-intervals plot (the best ones; the table lists all). @default REPORT_DEFAULTS.maxIntervalRows (50) */
  readonly maxIntervalRows?: number;
  /**
   * Most models with their own line and legend entry on the learning curves (the most picked);
   * the others share one line. @default REPORT_DEFAULTS.maxLegendEntries (8)
   */
  readonly maxLegendEntries?: number;
}

/** Defaults of {@link ReportInput}. */
export const REPORT_DEFAULTS = Object.freeze({
  /** @default 'Model evaluation' */
  title: 'Model evaluation',
  /** @default 'p50' */
  latencyPercentile: 'p50' as LatencyPercentile,
  /** @default 'auto' */
  latencyAxis: 'auto' as LatencyAxis,
  /** @default 20 */
  logScaleRatio: 20,
  /** @default 12 */
  maxPointLabels: 12,
  /** @default 50 */
  maxIntervalRows: 50,
  /** @default 8 */
  maxLegendEntries: 8,
});
