import type { ModelScore } from '../../core/model-score.js';

/**
 * Why a candidate's evaluation ended:
 * - `'completed'`: it predicted every labeled example (the only reason with `partial: false`);
 * - `'max-samples'`: it reached the sample cap while the data had more;
 * - `'budget'`: its time budget ran out;
 * - `'eliminated'`: a race stopped it because its quality is, with the race's confidence, below
 *   the leader's;
 * - `'race-decided'`: a race stopped every survivor because the leader is within the race's
 *   `tolerance` of the best (the leader gets this reason too, with `winner: true`);
 * - `'runner-failed'`: `maxConsecutiveFailures` predictions in a row failed (the server went
 *   away, the model hangs), or the model was disposed under it;
 * - `'no-runner'`: no runner supports the candidate for the task (nothing was predicted);
 * - `'load-failed'`: loading failed or timed out (nothing was predicted).
 */
export type EvaluationStopReason =
  | 'completed'
  | 'max-samples'
  | 'budget'
  | 'eliminated'
  | 'race-decided'
  | 'runner-failed'
  | 'no-runner'
  | 'load-failed';

/** Predictions that failed; each counts as a wrong prediction in the quality metrics. */
export interface EvaluationFailures {
  /** The model (or runner) threw for the item. */
  readonly errors: number;
  /** The prediction did not settle within `predictionTimeoutMs`. */
  readonly timeouts: number;
  /** The prediction was not one of the task's shape: not an object, no output, NaN or non-finite scores. */
  readonly malformed: number;
  /** The first failure's message, to tell what went wrong. */
  readonly firstError?: string;
}

/** Examples of the data that were not evaluated (for every candidate alike). */
export interface SkippedExamples {
  /** Rows whose label is missing (`undefined` or `null`). */
  readonly unlabeled: number;
  /** Rows that are not `{ input, label }` objects, or whose label the task's scorer rejects. */
  readonly invalid: number;
}

/** Memory measured around one candidate's load and run, in bytes. */
export interface MemoryMeasurement {
  /** Resident set size growth across `load`. */
  readonly loadRssBytes: number;
  /** JavaScript heap growth across `load`. */
  readonly loadHeapBytes: number;
  /** Highest resident set size sampled during the run, above the size before `load`. */
  readonly peakRssBytes: number;
  /**
   * The estimate made before loading, from the candidate's ONNX file sizes for the dtype asked
   * for (else its first available dtype) × `ONNX_MEMORY_FACTOR` (see `estimateMemoryBytes`);
   * absent when the candidate lists no such files with sizes.
   */
  readonly estimatedBytes?: number;
}

/**
 * What an evaluation measured of one candidate: a {@link ModelScore} plus how and why it ended.
 * Plain JSON, as stored in the evaluation history.
 *
 * - `latencyMs`: per item. With `batchSize` > 1 an item's latency is its batch's time ÷ the
 *   batch's size (what the item cost, not what a single request would wait).
 * - `throughput`: items per second of prediction time (loading and scoring excluded).
 * - `loadMs`: the runner's `loadMs` when it reports one, else the time `load` took.
 * - `memoryBytes`: the runner's `memoryBytes` when it reports one, else the larger of the resident
 *   set growth across `load` and the peak sampled during the run above the size before `load`
 *   (in a race, where every candidate is loaded at once, only the growth across `load`).
 * - `samples`: examples predicted, failed predictions included (they count as wrong).
 */
export interface EvaluationScore extends ModelScore {
  /** Why the evaluation of this candidate ended; `partial` is true for every reason but `'completed'`. */
  readonly stopReason: EvaluationStopReason;
  /** The candidate's revision, when known (part of the history key). */
  readonly revision?: string;
  /** The runner that ran it. */
  readonly runner?: string;
  /** The weight type the runner loaded, when it reports one. */
  readonly dtype?: string;
  /**
   * Bytes of the weights: the ONNX files of the loaded dtype when the candidate lists them with
   * sizes, else the candidate's `sizeBytes`; absent when neither is known.
   */
  readonly fileSizeBytes?: number;
  /**
   * For generators: output tokens per second of prediction time (the sum of the predictions'
   * `tokens` over `timings.predictMs`); absent when no prediction reported tokens.
   */
  readonly tokensPerSecond?: number;
  /** Identifies the data: `request.datasetId`, or a sha256 of the examples (see `datasetFingerprint`). */
  readonly dataset: string;
  /** When the evaluation ended, ISO 8601 (from the evaluator's clock). */
  readonly evaluatedAt: string;
  readonly failures: EvaluationFailures;
  readonly skipped: SkippedExamples;
  readonly memory: MemoryMeasurement;
  /** Where the time went, in milliseconds of the evaluator's clock (loading is `loadMs`). */
  readonly timings: {
    /** In `predict` calls (the budget's measure; `throughput` is `samples` over it). */
    readonly predictMs: number;
    /** Computing the final metrics (bootstrap intervals included). */
    readonly scoringMs: number;
  };
  /** For classifiers: counts[gold][predicted] over `labels`. */
  readonly confusionMatrix?: {
    readonly labels: readonly string[];
    readonly counts: readonly (readonly number[])[];
  };
  /** Gold labels the model never predicted nor scored: they count as misses (often a label-name mismatch). */
  readonly unknownLabels?: readonly string[];
  /** Racing only: whether this candidate won, and after how many examples it was stopped. */
  readonly race?: {
    readonly winner: boolean;
    /** The leader when it was eliminated. */
    readonly eliminatedBy?: string;
  };
  /** Why it failed, for `'no-runner'`, `'load-failed'` and `'runner-failed'`. */
  readonly error?: string;
}
